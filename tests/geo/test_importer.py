import json
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from shapely import LineString, MultiLineString, Point, Polygon

from geo.importer import GeoImportError, Imported, ImportedVillage, read_geometry

COORDS = [
    [121.342, 29.147], [121.36, 29.148], [121.38, 29.148], [121.398, 29.149], [121.412, 29.154], [121.425, 29.159]
]
REACH = LineString(COORDS)
VILLAGES = [("331022001001", "沙柳村", 121.36, 29.15), ("331022001002", "下洋村", 121.40, 29.152)]


def frame(crs: object = 4326) -> gpd.GeoDataFrame:
    codes, names, xs, ys = zip(*VILLAGES)
    return gpd.GeoDataFrame(
        {"code": [None, *codes], "name": [None, *names]},
        geometry=[REACH, *shapely.points(xs, ys)],
        crs=crs,
    )


def geojson(path: Path, features: list[dict], **extra: object) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features, **extra}))
    return path


def feature(geometry: object, **props: object) -> dict:
    return {"type": "Feature", "properties": props, "geometry": shapely.geometry.mapping(geometry)}


def zipped(path: Path, frames: dict[str, gpd.GeoDataFrame], *, prj: bool = True, folder: str = "") -> Path:
    """A zip of one Shapefile set per frame, optionally without .prj."""
    for name, data in frames.items():
        data.to_file(path.parent / f"{name}.shp")
    with zipfile.ZipFile(path, "w") as archive:
        for file in path.parent.glob("*.*"):
            if file.suffix in (".shp", ".shx", ".dbf", ".cpg") or (prj and file.suffix == ".prj"):
                archive.write(file, folder + file.name)
    return path


def fails(key: str, path: Path, **kwargs: object) -> GeoImportError:
    with pytest.raises(GeoImportError) as caught:
        read_geometry(path, **kwargs)
    err = caught.value
    assert err.key == key, err.message("en")
    zh, en = err.message("zh"), err.message("en")
    assert zh and en and zh != en
    return err


def same_line(a: LineString, b: LineString, tol: float = 1e-9) -> bool:
    return shapely.equals_exact(a, b, tolerance=tol)


def assert_villages(got: Imported) -> None:
    assert got.villages == tuple(ImportedVillage(*v) for v in VILLAGES)


# --- good files ---------------------------------------------------------------------------------


def test_geojson_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "reach.geojson"
    frame().to_file(path, driver="GeoJSON")
    got = read_geometry(path, previous_reach=REACH)
    assert same_line(got.reach, REACH)
    assert_villages(got)
    assert got.source.startswith("reach.geojson:")


def test_geopackage_reads_all_layers(tmp_path: Path) -> None:
    path = tmp_path / "reach.gpkg"
    data = frame()
    data.iloc[:1].to_file(path, layer="reach", driver="GPKG")
    data.iloc[1:].to_file(path, layer="villages", driver="GPKG")
    got = read_geometry(path)
    assert same_line(got.reach, REACH)
    assert_villages(got)
    assert got.source == "reach.gpkg:reach,villages"


def test_zipped_shapefile_in_cgcs2000_is_reprojected(tmp_path: Path) -> None:
    metric = frame().to_crs(4549)
    # a Shapefile holds one geometry type; code as an integer column must still work
    villages = metric.iloc[1:].astype({"code": "int64"})
    layers = {"reach": metric.iloc[:1][["geometry"]], "villages": villages}
    path = zipped(tmp_path / "reach.zip", layers, folder="survey/")  # a folder inside the zip, as people do
    got = read_geometry(path)
    assert same_line(got.reach, REACH, tol=1e-6)
    assert [v.code for v in got.villages] == [v[0] for v in VILLAGES]
    for village, (_, _, lon, lat) in zip(got.villages, VILLAGES):
        assert village.lon == pytest.approx(lon, abs=1e-6) and village.lat == pytest.approx(lat, abs=1e-6)


def test_kml(tmp_path: Path) -> None:
    path = tmp_path / "reach.kml"
    frame().to_file(path, driver="KML")
    got = read_geometry(path)
    assert same_line(got.reach, REACH)
    assert_villages(got)  # KML keeps the name in <name>, read back as "Name"


def test_z_is_dropped(tmp_path: Path) -> None:
    line = LineString([(x, y, 5.0) for x, y in COORDS])
    got = read_geometry(geojson(tmp_path / "z.geojson", [feature(line)]))
    assert not got.reach.has_z and same_line(got.reach, REACH)
    assert got.villages == ()


def test_multilinestring_merges_into_one_line(tmp_path: Path) -> None:
    # pieces out of order and one drawn backwards: merged line keeps the first piece's direction
    pieces = MultiLineString([COORDS[2:4], COORDS[:3][::-1], COORDS[3:]])
    got = read_geometry(geojson(tmp_path / "multi.geojson", [feature(pieces)]))
    assert same_line(got.reach, REACH)


def test_villages_only(tmp_path: Path) -> None:
    points = [feature(Point(lon, lat), code=code, name=name) for code, name, lon, lat in VILLAGES]
    got = read_geometry(geojson(tmp_path / "v.geojson", points))
    assert got.reach is None
    assert_villages(got)


def test_reverse_flips_without_previous(tmp_path: Path) -> None:
    got = read_geometry(geojson(tmp_path / "r.geojson", [feature(REACH)]), reverse=True)
    assert same_line(got.reach, REACH.reverse())


# --- direction and distance against the previous reach -----------------------------------------


def test_reversed_line(tmp_path: Path) -> None:
    path = geojson(tmp_path / "back.geojson", [feature(REACH.reverse())])
    err = fails("reversed", path, previous_reach=REACH)
    assert "--reverse" in err.message("zh") and "--reverse" in err.message("en")
    got = read_geometry(path, previous_reach=REACH, reverse=True)
    assert same_line(got.reach, REACH)


def test_reverse_on_a_line_already_the_right_way(tmp_path: Path) -> None:
    path = geojson(tmp_path / "ok.geojson", [feature(REACH)])
    err = fails("reversed", path, previous_reach=REACH, reverse=True)
    plain = fails("reversed", geojson(tmp_path / "back.geojson", [feature(REACH.reverse())]), previous_reach=REACH)
    assert err.message("en") != plain.message("en") and "already" in err.message("en")


def test_partial_survey_near_the_end_is_not_reversed(tmp_path: Path) -> None:
    # starts nearer the old end than the old start but runs the same way: must not read as reversed
    # (it is ~5 km short of the old start, hence the wider max_shift_m)
    path = geojson(tmp_path / "tail.geojson", [feature(LineString(COORDS[3:]))])
    got = read_geometry(path, previous_reach=REACH, max_shift_m=10_000)
    assert same_line(got.reach, LineString(COORDS[3:]))


def test_too_far(tmp_path: Path) -> None:
    shifted = shapely.affinity.translate(REACH, yoff=5000 / 111_000)  # ~5 km north
    err = fails("too_far", geojson(tmp_path / "far.geojson", [feature(shifted)]), previous_reach=REACH)
    assert 4900 < err.values["distance"] < 5100


# --- bad files ----------------------------------------------------------------------------------


def test_polygon_is_wrong_geometry(tmp_path: Path) -> None:
    poly = Polygon([(121.34, 29.14), (121.43, 29.14), (121.43, 29.16), (121.34, 29.14)])
    err = fails("wrong_geometry", geojson(tmp_path / "poly.geojson", [feature(REACH), feature(poly)]))
    assert "Polygon" in err.message("zh")


def test_shapefile_without_prj_in_metres(tmp_path: Path) -> None:
    path = zipped(tmp_path / "noprj.zip", {"reach": frame().iloc[:1][["geometry"]].to_crs(4549)}, prj=False)
    fails("no_crs_not_lonlat", path)


def test_geojson_in_metres(tmp_path: Path) -> None:
    metres = gpd.GeoSeries([REACH], crs=4326).to_crs(4549).iloc[0]
    fails("no_crs_not_lonlat", geojson(tmp_path / "m.geojson", [feature(metres)]))


def test_swapped_lon_lat(tmp_path: Path) -> None:
    swapped = LineString([(lat, lon) for lon, lat in COORDS])
    fails("no_crs_not_lonlat", geojson(tmp_path / "swap.geojson", [feature(swapped)]))


@pytest.mark.parametrize("name, text", [("none.geojson", None), ("zero.geojson", ""), ("nulls.geojson", "null")])
def test_empty(tmp_path: Path, name: str, text: str | None) -> None:
    path = tmp_path / name
    if text is None:
        geojson(path, [])
    elif text == "null":
        geojson(path, [{"type": "Feature", "properties": {}, "geometry": None}, feature(LineString())])
    else:
        path.write_text(text)
    fails("empty", path)


def test_random_bytes_gpkg(tmp_path: Path) -> None:
    path = tmp_path / "junk.gpkg"
    path.write_bytes(bytes(range(256)) * 16)
    fails("corrupt", path)


def test_truncated_json(tmp_path: Path) -> None:
    path = tmp_path / "cut.json"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature(REACH)]})[:80])
    fails("corrupt", path)


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "fake.zip"
    path.write_text("not a zip")
    fails("corrupt", path)


def test_zip_without_shapefile(tmp_path: Path) -> None:
    path = tmp_path / "docs.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    fails("no_usable_features", path)


def test_missing_file(tmp_path: Path) -> None:
    fails("not_found", tmp_path / "nope.gpkg")


def test_unsupported_type(tmp_path: Path) -> None:
    path = tmp_path / "reach.csv"
    path.write_text("x,y\n121.3,29.1\n")
    fails("unsupported", path)


def test_disconnected_lines(tmp_path: Path) -> None:
    gap = [feature(LineString(COORDS[:3])), feature(LineString(COORDS[3:]))]
    err = fails("not_one_line", geojson(tmp_path / "gap.geojson", gap))
    assert err.values["parts"] == 2


@pytest.mark.parametrize(
    "props",
    [
        {"name": "沙柳村"},
        {"code": "331022001001"},
        {"code": "3310", "name": "沙柳村"},
        {"code": "331022001001", "name": " "},
    ],
)
def test_bad_village(tmp_path: Path, props: dict) -> None:
    fails("bad_village", geojson(tmp_path / "v.geojson", [feature(REACH), feature(Point(121.36, 29.15), **props)]))


def test_duplicate_village(tmp_path: Path) -> None:
    village = feature(Point(121.36, 29.15), code="331022001001", name="沙柳村")
    fails("duplicate_village", geojson(tmp_path / "dup.geojson", [feature(REACH), village, village]))
