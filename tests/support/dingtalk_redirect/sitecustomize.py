"""Imported by every Python process started with this folder on PYTHONPATH (see
tests.support.dingtalk.process_env): points apprise's DingTalk plugin at the local robot named in
QINGXI_TEST_DINGTALK_URL, so a real `python -m qingxi worker` or `streamlit run` process sends to it
exactly as the in-process `robots()` redirect does. Without that variable it does nothing."""
import os

if os.environ.get("QINGXI_TEST_DINGTALK_URL"):
    from apprise.plugins.dingtalk import NotifyDingTalk

    NotifyDingTalk.notify_url = os.environ["QINGXI_TEST_DINGTALK_URL"]
