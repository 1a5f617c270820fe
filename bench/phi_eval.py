"""Measure the PHI guard: recall and precision per kind on the labeled posts, and throughput.

    .venv/bin/python bench/phi_eval.py [--presidio /work/presidio-venv/bin/python] [--mb 5]
                                       [--errors] [--json PATH]

Prints, for Townsquare's scanner (``townsquare.privacy.scan``):

* the per-kind table on every labeled post (src/townsquare/privacy/evaluation/), then the
  overall line for each split ("dev": written before the rules; "holdout": written after them and
  scored once before any change, see docs/privacy.md);
* throughput on a corpus made by repeating the posts to at least ``--mb`` megabytes (UTF-8), scanned
  post by post as the application does, and as whole documents of about 50 kB; wall-clock and
  CPU time (CPU time is the fairer figure on a shared machine).

With ``--presidio PYTHON`` the same table and throughput for Microsoft Presidio's predefined
pattern recognizers, run in that interpreter by bench/presidio_scan.py (its entity types mapped to
our kinds there). ``--errors`` lists each miss and false finding of our scanner.
The matching rule is in src/townsquare/privacy/evaluation/evaluate.py: a finding counts when it
overlaps a labeled span of the same kind.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from townsquare.privacy import scan  # noqa: E402
from townsquare.privacy.evaluation.evaluate import Report, evaluate  # noqa: E402
from townsquare.privacy.evaluation.labeled_set import load_records  # noqa: E402


def corpus(texts: list[str], megabytes: float) -> tuple[list[str], int]:
    posts: list[str] = []
    size = 0
    while size < megabytes * 1_000_000:
        for text in texts:
            posts.append(text)
            size += len(text.encode())
    return posts, size


def throughput(texts: list[str], megabytes: float) -> dict[str, float]:
    posts, size = corpus(texts, megabytes)
    wall, cpu = time.perf_counter(), time.process_time()
    for post in posts:
        scan(post)
    per_post = (time.perf_counter() - wall, time.process_time() - cpu)
    document = "\n\n".join(texts)
    documents = max(1, round(size / len(document.encode())))
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(documents):
        scan(document)
    whole = (time.perf_counter() - wall, time.process_time() - cpu)
    document_size = documents * len(document.encode())
    return {
        "megabytes": size / 1e6,
        "posts": len(posts),
        "per_post_wall_mb_s": size / 1e6 / per_post[0],
        "per_post_cpu_mb_s": size / 1e6 / per_post[1],
        "document_kb": len(document.encode()) / 1e3,
        "documents_wall_mb_s": document_size / 1e6 / whole[0],
        "documents_cpu_mb_s": document_size / 1e6 / whole[1],
    }


def presidio(python: str, records: list[dict], megabytes: float) -> tuple[Report, dict]:
    script = str(ROOT / "bench" / "presidio_scan.py")
    lines = "".join(json.dumps({"id": r["id"], "text": r["text"]}) + "\n" for r in records)
    answer = subprocess.run(
        [python, script], input=lines, capture_output=True, text=True, check=True
    )
    by_id = {}
    for line in answer.stdout.splitlines():
        result = json.loads(line)
        by_id[result["id"]] = result["findings"]
    texts = {record["text"]: record["id"] for record in records}
    report = evaluate(lambda text: by_id[texts[text]], records)
    timing = subprocess.run(
        [python, script, "--throughput", str(int(megabytes * 1_000_000))],
        input=lines,
        capture_output=True,
        text=True,
        check=True,
    )
    measured = json.loads(timing.stdout)
    speed = {
        "megabytes": measured["bytes"] / 1e6,
        "per_post_wall_mb_s": measured["bytes"] / 1e6 / measured["seconds"],
        "per_post_cpu_mb_s": measured["bytes"] / 1e6 / measured["cpu_seconds"],
    }
    return report, speed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--presidio", metavar="PYTHON", help="Presidio's interpreter")
    parser.add_argument("--mb", type=float, default=5.0, help="corpus size for throughput")
    parser.add_argument("--errors", action="store_true", help="list misses and false findings")
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    arguments = parser.parse_args()

    records = load_records()
    spans = sum(len(record["spans"]) for record in records)
    print(f"Labeled posts: {len(records)} posts, {spans} labeled identifiers")
    print(
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f}, Python {platform.python_version()}\n"
    )

    report = evaluate(scan, records)
    print(report.table("Townsquare (townsquare.privacy.scan), all posts"))
    splits = sorted({record["id"].rsplit("-", 1)[0] for record in records})
    print()
    for split in splits:
        part = evaluate(scan, [r for r in records if r["id"].startswith(split + "-")])
        score = part.overall
        print(
            f"  split {split:<8} posts {part.posts:>4}  labeled {score.labeled:>4}  "
            f"recall {score.recall:.3f}  precision {score.precision:.3f}"
        )
    if arguments.errors:
        print("\nMissed:")
        for error in report.missed:
            print(f"  {error.record_id} {error.kind}: {error.excerpt!r}")
        print("False findings:")
        for error in report.false_findings:
            print(f"  {error.record_id} {error.kind}: {error.excerpt!r}")

    speed = throughput([record["text"] for record in records], arguments.mb)
    print(f"\nThroughput on {speed['megabytes']:.1f} MB ({speed['posts']} posts):")
    print(
        f"  post by post:            {speed['per_post_cpu_mb_s']:.2f} MB/s CPU time, "
        f"{speed['per_post_wall_mb_s']:.2f} MB/s wall clock"
    )
    print(
        f"  {speed['document_kb']:.0f} kB documents:        "
        f"{speed['documents_cpu_mb_s']:.2f} MB/s CPU time, "
        f"{speed['documents_wall_mb_s']:.2f} MB/s wall clock"
    )
    figures: dict = {"townsquare": {"report": report.as_dict(), "throughput": speed}}

    if arguments.presidio:
        presidio_report, presidio_speed = presidio(arguments.presidio, records, arguments.mb)
        print()
        print(presidio_report.table("Presidio predefined pattern recognizers (no NLP model)"))
        print(
            f"\nPresidio throughput on {presidio_speed['megabytes']:.1f} MB, post by post: "
            f"{presidio_speed['per_post_cpu_mb_s']:.2f} MB/s CPU time, "
            f"{presidio_speed['per_post_wall_mb_s']:.2f} MB/s wall clock"
        )
        figures["presidio"] = {"report": presidio_report.as_dict(), "throughput": presidio_speed}
    if arguments.json:
        Path(arguments.json).write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
