"""Words out of a question: width and case folded, the staff's synonyms applied, Chinese cut by jieba
(its dictionary ships inside the package: nothing is downloaded), single Chinese characters added
so that a typo in one character still leaves the others matching, stop words dropped."""
from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable, Mapping

import jieba

jieba.setLogLevel(logging.WARNING)
_LOCK = threading.Lock()
_ADDED: set[str] = set()

CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[a-z0-9][a-z0-9'\-]*")
ZH_STOP = frozenset("""的 了 吗 呢 啊 吧 呀 哦 嘛 么 我 你 他 她 它 我们 你们 是 在 有 和 与 或 就 都 也 还 又 这 那 这个 那个
一个 一下 请问 请 问 想 要 能 会 可以 可不可以 能不能 怎么 怎么样 怎样 如何 什么 为什么 哪 哪里 哪儿 吗 么 呐 哈 嗯 喂 好 好的
谢谢 您 给 让 把 被 着 过 得 地 个 些 点 下 上 去 来 说 问 知道 一 不 没 没有 多少 几 自己 现在 已经 应该 需要 到 从 对 跟
什 么 怎 很 干 哪 但 但是 是不是 干什么 干嘛 哪些 好多 非常 特别 一步 那么 这么 还是 然后 因为 所以 如果 时候 东西 事情 事
""".split())
EN_STOP = frozenset("""a an the is are was were be been am i me my mine you your we our it its this that of to in on at for
and or how what when where who which why do does did can could will would should may might please there here with by from
about any some get got have has had so if not no yes just tell want know need hi hello thanks thank""".split())
ZH_PUNCT = re.compile(r"[\s，。！？、；：“”‘’（）《》【】…—·,.!?;:()\"'\[\]<>/\\|~`@#$%^&*+=_-]+")


def fold(text: str) -> str:
    """Full-width to half-width, case folded, spaces squeezed."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip().lower()


def is_chinese(text: str) -> bool:
    return bool(CJK.search(text))


def warm_up() -> None:
    """Load jieba's dictionary (about a second) so that the first question asked doesn't wait for it."""
    jieba.initialize()


def add_words(words: Iterable[str]) -> None:
    """Words jieba must keep whole (village names, portal words, the synonyms)."""
    with _LOCK:
        for w in words:
            if w and w not in _ADDED and is_chinese(w):
                jieba.add_word(w, freq=50_000)
                _ADDED.add(w)


def replace_synonyms(text: str, synonyms: Mapping[str, str]) -> str:
    """Chinese synonyms replaced in the text itself, longest first (咋个 before 咋)."""
    for word in sorted((w for w in synonyms if is_chinese(w)), key=len, reverse=True):
        if word in text:
            text = text.replace(word, synonyms[word])
    return text


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def tokens(text: str, synonyms: Mapping[str, str] = {}) -> list[str]:
    """The words BM25 compares: jieba's words and single characters for Chinese, stemmed lower-case
    words for English, synonyms mapped to the FAQ's word, stop words left out."""
    text = replace_synonyms(fold(text), synonyms)
    out: list[str] = []
    for part in ZH_PUNCT.split(text):
        if not part:
            continue
        if is_chinese(part):
            for word in jieba.lcut(part):
                word = word.strip()
                if not word:
                    continue
                if is_chinese(word):
                    if len(word) > 1 and word not in ZH_STOP:
                        out.append(word)
                    out.extend("#" + ch for ch in word if ch not in ZH_STOP and is_chinese(ch))
                else:
                    out.extend(_latin(word, synonyms))
        else:
            out.extend(_latin(part, synonyms))
    return out


def _latin(part: str, synonyms: Mapping[str, str]) -> list[str]:
    found = []
    for word in _LATIN.findall(part):
        word = synonyms.get(word, word)
        if word not in EN_STOP:
            found.append(_stem(word))
    return found
