from PIL import Image

from qingxi.core import photos


def test_store_writes_metadata_free_bounded_copies(tmp_path):
    img = Image.new("RGB", (4000, 3000), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "SecretPhone"  # camera maker tag
    img.info["exif"] = exif.tobytes()
    stored = photos.store(img, tmp_path)
    public = Image.open(tmp_path / stored.public_name)
    thumb = Image.open(tmp_path / stored.thumb_name)
    assert max(public.size) == 1600 and max(thumb.size) == 400
    assert (stored.width, stored.height) == public.size
    for f in (public, thumb):
        assert not f.getexif() and "exif" not in f.info
    assert b"SecretPhone" not in (tmp_path / stored.public_name).read_bytes()


def test_same_image_is_stored_once_and_no_temp_files_remain(tmp_path):
    img = Image.new("RGB", (800, 600), (200, 10, 10))
    a, b = photos.store(img, tmp_path), photos.store(img, tmp_path)
    assert a == b
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted({a.public_name, a.thumb_name})


def test_sweep_removes_what_a_crash_left(tmp_path):
    (tmp_path / f"{photos.TEMP_PREFIX}abc").write_bytes(b"half a photo")
    keep = photos.store(Image.new("RGB", (10, 10)), tmp_path)
    assert photos.sweep_temp(tmp_path) == 1
    assert {p.name for p in tmp_path.iterdir()} == {keep.public_name, keep.thumb_name}
    assert photos.sweep_temp(tmp_path / "missing") == 0
