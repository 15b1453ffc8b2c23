#!/usr/bin/env python3
"""Convert ECharts 4.9.0's map of Tianjin to plain GeoJSON, once; the result is committed as data.

ECharts 4 ships province maps in its own compressed encoding ("UTF8Encoding": every ring is a
string of zigzag-encoded coordinate deltas, two characters a point, starting from the ring's
``encodeOffsets`` and scaled by 1024). ECharts 5 no longer ships maps, so ducha keeps the
decoded boundaries of Tianjin's 16 districts in ``ducha/data/geo/tianjin-districts.geojson``.
Source: the npm package ``echarts@4.9.0``, file ``map/json/province/tianjin.json``
(Apache-2.0, Copyright The Apache Software Foundation); feature ids are GB/T 2260 codes.

    python scripts/convert_tianjin_map.py                 # fetch echarts@4.9.0 from npm, convert
    python scripts/convert_tianjin_map.py --source tianjin.json   # convert a file you have

Standard library only, so it runs before ducha is installed.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import sys
import tarfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "ducha" / "data" / "geo" / "tianjin-districts.geojson"
TARBALL = "https://registry.npmjs.org/echarts/-/echarts-4.9.0.tgz"
# The npm registry's dist.integrity for echarts@4.9.0.
INTEGRITY = (
    "sha512-+ugizgtJ+KmsJyyDPxaw2Br5FqzuBnyOWwcxPKO6y0gc5"
    "caYcfnEUIlNStx02necw8jmKmTafmpHhGo4XDtEIA=="
)
MEMBER = "package/map/json/province/tianjin.json"
DIGITS = 6  # 1/1024 of a degree is about 100 m; six decimals keep every encoded point exact enough
ATTRIBUTION = (
    "District boundaries of Tianjin from Apache ECharts 4.9.0 (npm echarts@4.9.0, "
    "map/json/province/tianjin.json), Apache License 2.0, Copyright The Apache Software "
    "Foundation; decoded to GeoJSON by scripts/convert_tianjin_map.py. Ids are GB/T 2260 codes. "
    "Boundaries are simplified and approximate: for display, not for surveying."
)


def decode_ring(encoded: str, offset: list[int], scale: float) -> list[list[float]]:
    """One ring: the inverse of ECharts' encoding (parseGeoJson.js decodePolygon)."""
    if len(encoded) % 2:
        raise ValueError("an encoded ring must have an even number of characters")
    x, y = offset
    points = []
    for i in range(0, len(encoded), 2):
        dx = ord(encoded[i]) - 64
        dy = ord(encoded[i + 1]) - 64
        x += (dx >> 1) ^ -(dx & 1)  # zigzag
        y += (dy >> 1) ^ -(dy & 1)
        points.append([round(x / scale, DIGITS), round(y / scale, DIGITS)])
    if points and points[0] != points[-1]:
        points.append(list(points[0]))  # GeoJSON rings are closed
    return points


def decode(data: dict) -> dict:
    """ECharts' encoded FeatureCollection -> plain GeoJSON with code, name and label point."""
    scale = float(data.get("UTF8Scale") or 1024)
    encoded = bool(data.get("UTF8Encoding"))
    features = []
    for feature in data["features"]:
        geometry = feature["geometry"]
        coords = geometry["coordinates"]
        offsets = geometry.get("encodeOffsets")
        if encoded:
            if geometry["type"] == "Polygon":
                coords = [decode_ring(r, offsets[i], scale) for i, r in enumerate(coords)]
            elif geometry["type"] == "MultiPolygon":
                coords = [
                    [decode_ring(r, offsets[p][i], scale) for i, r in enumerate(polygon)]
                    for p, polygon in enumerate(coords)
                ]
            else:
                raise ValueError(f"unexpected geometry {geometry['type']}")
        props = feature.get("properties", {})
        code = str(feature["id"])
        features.append(
            {
                "type": "Feature",
                "id": code,
                "properties": {
                    "code": code,
                    "name": props["name"],
                    "label_point": props.get("cp"),
                },
                "geometry": {"type": geometry["type"], "coordinates": coords},
            }
        )
    features.sort(key=lambda f: f["id"])
    return {
        "type": "FeatureCollection",
        "attribution": ATTRIBUTION,
        "features": features,
    }


def fetch_source() -> dict:
    with urllib.request.urlopen(TARBALL, timeout=120) as response:
        data = response.read()
    algorithm, _, expected = INTEGRITY.partition("-")
    digest = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
    if digest != expected:
        raise SystemExit(f"integrity check failed for {TARBALL}")
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        member = tar.extractfile(MEMBER)
        if member is None:
            raise SystemExit(f"{MEMBER} not in {TARBALL}")
        return json.loads(member.read().decode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, help="a tianjin.json from echarts@4.9.0")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    source = json.loads(args.source.read_text(encoding="utf-8")) if args.source else fetch_source()
    geojson = decode(source)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(geojson, ensure_ascii=False, separators=(",", ":"))
    args.output.write_text(text + "\n", encoding="utf-8")
    print(f"{args.output}: {len(geojson['features'])} districts, {len(text):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
