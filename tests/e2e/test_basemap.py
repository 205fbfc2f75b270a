"""A configured tile server becomes the basemap, and it is the only place tiles come from."""
import http.server
import threading

import pytest
from PIL import Image

from tests.support.browser import wait_idle
from tests.support.servers import Server

pytestmark = pytest.mark.e2e


@pytest.fixture
def tiles():
    """A local XYZ tile server that records what it was asked for."""
    import io

    buf = io.BytesIO()
    Image.new("RGB", (256, 256), (200, 230, 200)).save(buf, "PNG")
    png, asked = buf.getvalue(), []

    class Tiles(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Access-Control-Allow-Origin", "*")
            self.end_headers()
            self.wfile.write(png)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Tiles)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}", asked
    httpd.shutdown()


def test_tile_url_from_settings_draws_a_basemap(chromium, tiles, tmp_path):
    base, asked = tiles
    server = Server(tmp_path, demo=False, QINGXI_TILE_URL=base + "/{z}/{x}/{y}.png")
    try:
        page = chromium.new_page()
        page.goto(f"{server.url}/map?lang=zh")
        wait_idle(page)
        page.wait_for_selector("canvas", timeout=30_000)
        for _ in range(60):  # deck.gl asks for tiles once it has drawn; a loaded machine is slow
            if asked:
                break
            page.wait_for_timeout(500)
        assert any(path.endswith(".png") and path.count("/") == 3 for path in asked), asked
        zooms = {int(path.split("/")[1]) for path in asked}
        assert zooms <= {11, 12, 13}  # tiles around the Shaliu reach's view
        page.close()
    finally:
        server.stop()
