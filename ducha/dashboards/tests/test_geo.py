"""The committed map data: decoded correctly, all 16 districts, parks inside their districts."""

import importlib.util
import itertools
import json
from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st

from ducha.core.filespec import load_yaml, validate
from ducha.parks.services import TIANJIN_PARKS, ParkFile

ROOT = Path(__file__).resolve().parents[3]
GEOJSON = ROOT / "ducha" / "data" / "geo" / "tianjin-districts.geojson"
UNITS = ROOT / "ducha" / "data" / "orgunits-tianjin.yaml"


def _script():
    spec = importlib.util.spec_from_file_location(
        "convert_tianjin_map", ROOT / "scripts" / "convert_tianjin_map.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _encode(points: list[tuple[int, int]], offset: tuple[int, int]) -> str:
    """ECharts 4's encoder (the inverse the script must undo): zigzag deltas, +64."""
    out, (px, py) = [], offset
    for x, y in points:
        for delta in (x - px, y - py):
            out.append(chr(((delta << 1) ^ (delta >> 31)) + 64))
        px, py = x, y
    return "".join(out)


@given(
    st.lists(
        st.tuples(st.integers(119000, 121000), st.integers(39000, 41500)), min_size=3, max_size=40
    )
)
def test_decoding_undoes_echarts_encoding(points):
    convert = _script()
    offset = points[0]
    ring = convert.decode_ring(_encode(points, offset), list(offset), 1024)
    expected = [[round(x / 1024, 6), round(y / 1024, 6)] for x, y in points]
    if expected[0] != expected[-1]:
        expected.append(expected[0])
    assert ring == expected


def test_decode_handles_polygons_and_multipolygons():
    convert = _script()
    square = [(120000, 40000), (120010, 40000), (120010, 40010), (120000, 40010)]
    source = {
        "UTF8Encoding": True,
        "features": [
            {
                "id": "2",
                "properties": {"name": "B"},
                "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": [[_encode(square, square[0])], [_encode(square, square[0])]],
                    "encodeOffsets": [[list(square[0])], [list(square[0])]],
                },
            },
            {
                "id": "1",
                "properties": {"name": "A", "cp": [117.1, 39.1]},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [_encode(square, square[0])],
                    "encodeOffsets": [list(square[0])],
                },
            },
        ],
    }
    out = convert.decode(source)
    assert [f["id"] for f in out["features"]] == ["1", "2"]
    polygon = out["features"][0]["geometry"]["coordinates"]
    assert polygon[0][0] == polygon[0][-1] == [round(120000 / 1024, 6), round(40000 / 1024, 6)]
    assert len(out["features"][1]["geometry"]["coordinates"]) == 2
    assert "Apache" in out["attribution"]


def test_the_map_has_exactly_the_sixteen_districts_of_the_org_unit_file():
    data = json.loads(GEOJSON.read_text(encoding="utf-8"))
    units = yaml.safe_load(UNITS.read_text(encoding="utf-8"))["units"]
    districts = {u["code"]: u["name"] for u in units if u["kind"] == "district"}
    features = {f["id"]: f["properties"]["name"] for f in data["features"]}
    assert features == districts
    assert len(features) == 16
    assert "Apache" in data["attribution"]


def _rings(feature):
    geometry = feature["geometry"]
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    return polygons


def test_every_ring_is_closed_and_inside_tianjin():
    data = json.loads(GEOJSON.read_text(encoding="utf-8"))
    for feature in data["features"]:
        for polygon in _rings(feature):
            for ring in polygon:
                assert ring[0] == ring[-1], feature["id"]
                assert len(ring) >= 4
                for lng, lat in ring:
                    assert 116.6 < lng < 118.2 and 38.5 < lat < 40.3, feature["id"]


def _inside(point, ring):
    x, y = point
    crossing = False
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            crossing = not crossing
    return crossing


def test_every_park_point_lies_inside_its_district():
    """The approximate points of the park register's file (ducha/data/tianjin-2018/parks.yaml)."""
    data = json.loads(GEOJSON.read_text(encoding="utf-8"))
    features = {f["id"]: f for f in data["features"]}
    parks = validate(ParkFile, load_yaml(TIANJIN_PARKS), str(TIANJIN_PARKS)).parks
    assert parks
    for park in parks:
        assert park.point is not None, park.name
        polygons = _rings(features[park.district])
        assert any(
            _inside(park.point, polygon[0])
            and not any(_inside(park.point, hole) for hole in polygon[1:])
            for polygon in polygons
        ), park.name
        assert park.designation or park.industries, park.name
