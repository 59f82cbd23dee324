"""Build the demo, fetch its data catalogue and validate it against DCAT-AP 3.0.1 and DCAT-AP-NO
2.0 with pyshacl. Prints the violations and warnings of each profile; fails on any violation.

    .venv/bin/python scripts/validate_catalogue.py [--standards DIR] [--database FILE]

The shapes are read from --standards (default $STANDARDS, else ../shared/standards): the
DCAT-AP shapes with their class ranges and vocabulary shapes, and the DCAT-AP-NO shapes. The
catalogue types and labels the EU vocabulary terms it uses itself, so no vocabulary file is
needed beside them. docs/catalogue.md describes the check.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROFILES = {
    "DCAT-AP 3.0.1": [
        "dcat-ap-3.0.1-SHACL.ttl",
        "dcat-ap-3.0.1-ranges.ttl",
        "dcat-ap-3.0.1-mdr.ttl",
    ],
    "DCAT-AP-NO 2.0": ["DCAT-AP-NO-shacl_shapes_2.00.ttl"],
}


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--standards",
        type=Path,
        default=Path(os.environ.get("STANDARDS") or ROOT.parent / "shared" / "standards"),
    )
    parser.add_argument("--database", type=Path, default=ROOT / "var" / "catalogue-check.sqlite3")
    parser.add_argument("--verbose", action="store_true", help="print every result")
    return parser.parse_args()


def _setup_django(database: Path) -> None:
    database.parent.mkdir(parents=True, exist_ok=True)
    database.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "roadmap.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def _documents() -> dict[str, str]:
    """Every document a harvester would read: each network page, the full dump and each
    municipality's catalogue, in Turtle."""
    from django.test import Client

    from roadmap.municipalities.models import Municipality

    client = Client()
    documents: dict[str, str] = {}

    def fetch(path: str) -> str:
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return body.decode()

    page, last = 1, 1
    while page <= last:
        path = f"/catalogue.ttl?page={page}"
        documents[path] = fetch(path)
        from rdflib import Graph, URIRef

        graph = Graph().parse(data=documents[path], format="turtle")
        lasts = list(graph.objects(None, URIRef("http://www.w3.org/ns/hydra/core#last")))
        last = int(str(lasts[0]).rsplit("=", 1)[1]) if lasts else page
        page += 1
    documents["/catalogue/full.ttl"] = fetch("/catalogue/full.ttl")
    for slug in Municipality.objects.order_by("slug").values_list("slug", flat=True):
        path = f"/m/{slug}/catalogue.ttl"
        documents[path] = fetch(path)
    return documents


def main() -> int:
    arguments = _arguments()
    missing = [
        name
        for names in PROFILES.values()
        for name in names
        if not (arguments.standards / name).is_file()
    ]
    if missing:
        print(f"Shapes not found in {arguments.standards}: {', '.join(missing)}", file=sys.stderr)
        return 2
    _setup_django(arguments.database)
    from django.core.management import call_command
    from pyshacl import validate
    from rdflib import Graph, Namespace

    shacl = Namespace("http://www.w3.org/ns/shacl#")
    call_command("migrate", verbosity=0)
    with contextlib.redirect_stdout(io.StringIO()):
        call_command("setup_demo", verbosity=0)
    documents = _documents()
    shapes = {}
    for profile, names in PROFILES.items():
        graph = Graph()
        for name in names:
            graph.parse(arguments.standards / name, format="turtle")
        # The published DCAT-AP 3.0.1 files name a few property shapes they never define;
        # pyshacl refuses such a graph, so the references to nothing are dropped (and counted).
        dangling = [
            (shape, prop)
            for shape, prop in graph.subject_objects(shacl.property)
            if (prop, shacl.path, None) not in graph
        ]
        for shape, prop in dangling:
            graph.remove((shape, shacl.property, prop))
        print(
            f"{profile}: {len(graph)} shape triples; dropped {len(dangling)} undefined property shapes"
        )
        shapes[profile] = graph
    totals: Counter[tuple[str, str]] = Counter()
    for path, text in documents.items():
        data = Graph().parse(data=text, format="turtle")
        for profile, shape_graph in shapes.items():
            _conforms, results, _text = validate(data, shacl_graph=shape_graph, inference="none")
            # Top-level results only: a result's sh:detail repeats what failed inside it.
            top = list(results.objects(None, shacl.result))
            counts = Counter(
                str(results.value(result, shacl.resultSeverity)).rsplit("#", 1)[1] for result in top
            )
            totals[(profile, "Violation")] += counts["Violation"]
            totals[(profile, "Warning")] += counts["Warning"]
            print(
                f"{path:32} {profile:15} {len(data):6} triples  "
                f"{counts['Violation']} violations, {counts['Warning']} warnings"
            )
            if arguments.verbose or counts["Violation"]:
                for result in top:
                    print(
                        "   ",
                        results.value(result, shacl.resultSeverity).rsplit("#", 1)[1],
                        results.value(result, shacl.focusNode),
                        results.value(result, shacl.resultPath),
                        results.value(result, shacl.resultMessage),
                    )
    for profile in shapes:
        print(
            f"{profile}: {totals[(profile, 'Violation')]} violations, "
            f"{totals[(profile, 'Warning')]} warnings in {len(documents)} documents"
        )
    return 1 if any(totals[(profile, "Violation")] for profile in shapes) else 0


if __name__ == "__main__":
    sys.exit(main())
