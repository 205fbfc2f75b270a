"""Read and validate a surveyed river geometry file (pure: no database).

`read_geometry` turns a GeoJSON / GeoPackage / zipped Shapefile / KML file into one
WGS84 reach line (upstream -> downstream) plus village points, or raises
`GeoImportError` with a message key the CLI/UI can show in Chinese or English.
"""
from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyogrio.errors import DataLayerError, DataSourceError
from shapely import LineString

SUFFIXES = (".geojson", ".json", ".gpkg", ".zip", ".kml")
CHINA = (73.0, 3.0, 136.0, 54.0)  # lon/lat box: minx, miny, maxx, maxy
METRIC = "EPSG:4549"  # CGCS2000 3-degree GK, CM 120E: metres around Sanmen
STEP_M = 100.0  # densify before Hausdorff: GEOS only measures at vertices
LINES = ("LineString", "MultiLineString", "LinearRing")


class GeoImportError(ValueError):
    """Carries a message key and values so the CLI/UI can say it in Chinese or English.

    `variant` picks a more specific text under the same key (e.g. "reversed" when the
    line already runs the right way), so callers only branch on `key`.
    """

    MESSAGES: dict[str, dict[str, str]] = {
        "zh": {
            "not_found": "找不到文件 {file}。",
            "unsupported": "不支持的文件类型“{suffix}”。请使用 GeoJSON（.geojson/.json）、GeoPackage（.gpkg）、"
            "压缩的 Shapefile（.zip，内含 .shp/.shx/.dbf/.prj）或 KML（.kml）。",
            "corrupt": "无法读取文件 {file}：文件已损坏或不是有效的 {suffix} 格式（{detail}）。",
            "empty": "文件 {file} 中没有任何要素（或只有空几何）。",
            "no_usable_features": "文件 {file} 中没有包含几何的图层（压缩包需内含 .shp 文件）。",
            "no_crs_not_lonlat": "图层 {layer} 没有投影坐标系，而其坐标范围（{bounds}）不是中国境内的经纬度。"
            "请导出时附带坐标系（如 EPSG:4549 或 EPSG:4326），并检查经度、纬度是否写反。",
            "out_of_area": "图层 {layer} 按其坐标系（{crs}）换算后位于中国境外（{bounds}），请检查坐标系设置是否正确。",
            "wrong_geometry": "图层 {layer} 含有不支持的几何类型 {type}。只接受河道线（LineString/MultiLineString）"
            "和村庄点（Point）。",
            "not_one_line": "河道线无法连成一条连续的线（合并后仍有 {parts} 段）。请检查断开或交叉的线段。",
            "bad_village": "图层 {layer} 第 {n} 个要素：村庄点必须有 12 位数字的 code 和非空的 name"
            "（当前 code={code}，name={name}）。",
            "duplicate_village": "村庄代码 {code} 出现了不止一次。",
            "reversed": "新河道线的方向与原河道相反（应为上游→下游）。请确认后加上 --reverse 重新运行。",
            "reversed.forward": "指定了 --reverse，但新河道线本来就是上游→下游的正确方向，翻转后反而相反。"
            "请去掉 --reverse 重新运行。",
            "too_far": "新河道线与原河道相距最远达 {distance} 米，超过允许的 {limit} 米。请检查文件或坐标系是否正确。",
        },
        "en": {
            "not_found": "File {file} not found.",
            "unsupported": "Unsupported file type \"{suffix}\". Use GeoJSON (.geojson/.json), GeoPackage (.gpkg), "
            "a zipped Shapefile (.zip holding .shp/.shx/.dbf/.prj) or KML (.kml).",
            "corrupt": "Cannot read {file}: it is damaged or not a valid {suffix} file ({detail}).",
            "empty": "{file} contains no features (or only empty geometries).",
            "no_usable_features": "{file} has no layer with geometries (a .zip must contain a .shp file).",
            "no_crs_not_lonlat": "Layer {layer} has no projected coordinate system and its coordinates ({bounds}) "
            "are not longitude/latitude within China. Export it with a CRS (e.g. EPSG:4549 or EPSG:4326) "
            "and check that longitude and latitude are not swapped.",
            "out_of_area": "Layer {layer}, converted from its coordinate system ({crs}), lies outside China "
            "({bounds}). Check that the file's CRS is set correctly.",
            "wrong_geometry": "Layer {layer} contains an unsupported geometry type: {type}. Only the river line "
            "(LineString/MultiLineString) and village points (Point) are accepted.",
            "not_one_line": "The river lines do not join into one connected line ({parts} pieces after merging). "
            "Check for gaps or crossing segments.",
            "bad_village": "Layer {layer}, feature {n}: a village point needs a 12-digit code and a non-empty "
            "name (got code={code}, name={name}).",
            "duplicate_village": "Village code {code} appears more than once.",
            "reversed": "The new river line runs the opposite way to the current one (it must go upstream -> "
            "downstream). Check it, then re-run with --reverse.",
            "reversed.forward": "--reverse was given, but the new river line already runs the right way "
            "(upstream -> downstream); flipping it would make it backwards. Re-run without --reverse.",
            "too_far": "The new river line is up to {distance} m from the current one, more than the allowed "
            "{limit} m. Check the file and its coordinate system.",
        },
    }

    def __init__(self, key: str, variant: str = "", **values: object) -> None:
        self.key = key
        self.variant = variant
        self.values = values
        super().__init__(self.message("en"))

    def message(self, lang: str = "zh") -> str:
        texts = self.MESSAGES.get(lang, self.MESSAGES["zh"])  # same fallback as qingxi.i18n
        return texts[f"{self.key}.{self.variant}" if self.variant else self.key].format(**self.values)


@dataclass(frozen=True)
class ImportedVillage:
    code: str
    name: str
    lon: float
    lat: float


@dataclass(frozen=True)
class Imported:
    reach: LineString | None  # WGS84 lon/lat, upstream -> downstream
    villages: tuple[ImportedVillage, ...]
    source: str  # file name + layers, for the record


def read_geometry(
    path: str | Path,
    *,
    reverse: bool = False,
    previous_reach: LineString | None = None,
    max_shift_m: float = 2000.0,
) -> Imported:
    path = Path(path)
    layers = _open(path)
    parts: list[np.ndarray] = []
    villages: list[pd.DataFrame] = []
    for label, frame in layers:
        frame = _to_wgs84(label, frame)
        kind = frame.geom_type
        # QGIS often writes single points as one-part MultiPoints
        single = shapely.get_num_geometries(frame.geometry.values) == 1
        point = (kind == "Point") | ((kind == "MultiPoint") & single)
        line = kind.isin(LINES)
        if (other := ~(point | line)).any():
            raise GeoImportError("wrong_geometry", layer=label, type=kind[other].iloc[0])
        parts.append(shapely.get_parts(frame.geometry.values[line.to_numpy()]))
        if point.any():
            villages.append(_villages(label, frame[point]))
    lines = np.concatenate(parts) if parts else np.empty(0, dtype=object)
    if not len(lines) and not villages:
        raise GeoImportError("empty", file=path.name)

    table = pd.concat(villages) if villages else pd.DataFrame(columns=["code", "name", "lon", "lat"])
    if (dup := table["code"].duplicated()).any():
        raise GeoImportError("duplicate_village", code=table["code"][dup].iloc[0])

    reach = _merge(lines) if len(lines) else None
    if reach is not None:
        if previous_reach is not None:
            _compare(reach, previous_reach, reverse, max_shift_m)
        if reverse:
            reach = shapely.reverse(reach)
    return Imported(
        reach=reach,
        villages=tuple(map(ImportedVillage, *(table[c].tolist() for c in ("code", "name", "lon", "lat")))),
        source=f"{path.name}:{','.join(label for label, _ in layers)}",
    )


def _open(path: Path) -> list[tuple[str, gpd.GeoDataFrame]]:
    """Every geometry layer of the file, 2D, without null/empty geometries."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise GeoImportError("unsupported", suffix=path.suffix or path.name)
    if not path.is_file():
        raise GeoImportError("not_found", file=path.name)
    if path.stat().st_size == 0:
        raise GeoImportError("empty", file=path.name)
    try:
        if suffix == ".zip":
            # GDAL only auto-opens a zip whose root holds the .shp set; name members to allow folders
            with zipfile.ZipFile(path) as archive:
                shps = [m for m in archive.namelist() if m.lower().endswith(".shp")]
            sources = [(f"/vsizip/{path.resolve().as_posix()}/{m}", None, m) for m in shps]
        else:
            sources = [
                (str(path), name, name) for name, kind in pyogrio.list_layers(path) if kind is not None
            ]  # kind None: a GeoPackage attribute-only table
        if not sources:
            raise GeoImportError("no_usable_features", file=path.name)
        layers = [(label, gpd.read_file(src, layer=layer, engine="pyogrio")) for src, layer, label in sources]
    except (zipfile.BadZipFile, DataSourceError, DataLayerError) as exc:
        raise GeoImportError("corrupt", file=path.name, suffix=suffix, detail=str(exc).split(";")[0]) from exc
    return [(label, _clean(frame)) for label, frame in layers]


def _clean(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Drop null/empty geometries and any Z (KML from GPS tools carries altitude)."""
    kept = frame[~(frame.geometry.isna() | frame.geometry.is_empty)]
    return kept.set_geometry(kept.geometry.force_2d())


def _to_wgs84(label: str, frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if frame.empty:
        return frame
    crs = frame.crs
    # GeoJSON is WGS84 by spec, so metres in it read as "EPSG:4326": check any geographic CRS like none
    if crs is None or crs.is_geographic:
        _in_china(label, frame, "no_crs_not_lonlat")
        return frame if crs is None else frame.to_crs(4326)
    frame = frame.to_crs(4326)
    _in_china(label, frame, "out_of_area", crs=crs.to_string())
    return frame


def _in_china(label: str, frame: gpd.GeoDataFrame, key: str, **values: object) -> None:
    minx, miny, maxx, maxy = frame.total_bounds
    # written so NaN/inf (failed reprojection) fails too
    if not (minx >= CHINA[0] and miny >= CHINA[1] and maxx <= CHINA[2] and maxy <= CHINA[3]):
        bounds = f"{minx:.6g}, {miny:.6g} – {maxx:.6g}, {maxy:.6g}"
        raise GeoImportError(key, layer=label, bounds=bounds, **values)


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    """Column `name`, else any case variant (KML puts <name> in "Name"); all-NA if absent."""
    match = name if name in frame else next((c for c in frame.columns if str(c).lower() == name), None)
    return frame[match] if match is not None else pd.Series(pd.NA, index=frame.index, dtype="string")


def _villages(label: str, frame: gpd.GeoDataFrame) -> pd.DataFrame:
    code = _column(frame, "code")
    if pd.api.types.is_numeric_dtype(code):
        # integer column (e.g. Shapefile N(12,0)); non-integral floats become NA and fail below
        code = code.where(code == code.round()).astype("Int64")
    code = code.astype("string").str.strip()
    name = _column(frame, "name").astype("string").str.strip()
    ok = code.str.fullmatch(r"\d{12}").fillna(False) & name.str.len().gt(0).fillna(False)
    if not ok.all():
        bad = ok.index[~ok.to_numpy()][0]
        shown = {k: v[bad] if pd.notna(v[bad]) else "—" for k, v in (("code", code), ("name", name))}
        raise GeoImportError("bad_village", layer=label, n=bad + 1, **shown)
    points = shapely.get_parts(frame.geometry.values)  # one part each, so rows stay aligned
    return pd.DataFrame({
        "code": code.astype(str),
        "name": name.astype(str),
        "lon": shapely.get_x(points),
        "lat": shapely.get_y(points),
    })


def _merge(lines: np.ndarray) -> LineString:
    merged = shapely.line_merge(shapely.union_all(lines))
    if not isinstance(merged, LineString):
        raise GeoImportError("not_one_line", parts=shapely.get_num_geometries(merged))
    # merging may flip the result; keep the direction the file's first line has
    ends = shapely.points(shapely.get_coordinates(lines[0])[[0, -1]])
    start, end = shapely.line_locate_point(merged, ends)
    return shapely.reverse(merged) if end < start else merged


def _compare(reach: LineString, previous: LineString, reverse: bool, max_shift_m: float) -> None:
    new, old = gpd.GeoSeries([reach, previous], crs=4326).to_crs(METRIC).values
    shift = shapely.hausdorff_distance(shapely.segmentize(new, STEP_M), shapely.segmentize(old, STEP_M))
    if shift > max_shift_m:
        raise GeoImportError("too_far", distance=round(shift), limit=round(max_shift_m))
    # where the new ends fall along the old line: robust even when the new one is a longer/shorter survey
    start, end = shapely.line_locate_point(old, shapely.points(shapely.get_coordinates(new)[[0, -1]]))
    if (end < start) != reverse:
        raise GeoImportError("reversed", "forward" if reverse else "")
