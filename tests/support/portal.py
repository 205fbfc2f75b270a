"""app.py as AppTest runs it. AppTest decides afresh on every run whether the folder beside its
script has a pages/ directory, and if so serves pages/track.py itself for /track; the real server
never does (server.py). Run from here, app.py's st.navigation alone decides, as in production."""
import runpy
from pathlib import Path

runpy.run_path(str(Path(__file__).resolve().parents[2] / "app.py"), run_name="__main__")
