#!/usr/bin/env python3
"""Turn articles into JSON Lines for `guanxi extract --jsonl` (one article per line).

    make_corpus.py examples/articles -o corpus.jsonl
        every .txt, .md, .markdown, .html and .htm file under the directories given, in sorted
        order, as {"id", "title", "text"}; the id is the file's path as given, so the graph's
        evidence names the article's file.

    make_corpus.py examples/articles --lexicon data/lexicon --megabytes 50 -o big.jsonl
        a synthetic corpus of about that size for throughput measurements: articles made of the
        given articles' sentences, shuffled and recombined, with the names of companies, people
        and models swapped for other names of the same type from the lexicon and the numbers
        changed, so that no two articles are alike.

Only the standard library: it runs wherever Spark's Python does.
"""

import argparse
import html.parser
import json
import os
import random
import re
import sys

ARTICLE_EXTENSIONS = (".txt", ".md", ".markdown", ".html", ".htm")


class _VisibleText(html.parser.HTMLParser):
    """The text a reader sees: no scripts, styles or markup; blocks on their own lines."""

    BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article"}
    HIDDEN = {"script", "style", "noscript", "template", "head"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.title, self._hidden, self._in_title = [], None, 0, False

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self._in_title = True
        elif tag in self.HIDDEN:
            self._hidden += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag in self.HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if self._in_title:
            self.title = (self.title or "") + data.strip()
        elif not self._hidden:
            self.parts.append(data)

    def text(self):
        lines = (" ".join(line.split()) for line in "".join(self.parts).splitlines())
        return "\n".join(line for line in lines if line)


def read_article(path):
    """An article file as (title, text)."""
    with open(path, encoding="utf-8") as f:
        raw = f.read()
    if path.lower().endswith((".html", ".htm")):
        p = _VisibleText()
        p.feed(raw)
        return p.title, p.text()
    first = next((line.strip() for line in raw.splitlines() if line.strip()), "")
    return (first[2:].strip() if first.startswith("# ") else None), raw


def article_files(paths):
    """Article files under the paths, each directory in sorted order (hidden files skipped)."""
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith(".") and name.lower().endswith(ARTICLE_EXTENSIONS):
                        yield os.path.join(root, name)
        else:
            yield p


def records(paths):
    for path in article_files(paths):
        title, text = read_article(path)
        if text.strip():
            rec = {"id": path, "text": text}
            if title:
                rec["title"] = title
            yield rec


# --- the synthetic corpus ---------------------------------------------------------------------

SENTENCE = re.compile(r"[^。！？!?\n]+(?:[。！？!?]+|\.(?=\s)|$)")
SWAPPED_TYPES = ("company", "person", "model")


def load_lexicon(directory):
    """Names (and aliases) by type, from the lexicon's TSV files."""
    names = {t: [] for t in SWAPPED_TYPES}
    for fname in sorted(os.listdir(directory)):
        if not fname.endswith(".tsv"):
            continue
        with open(os.path.join(directory, fname), encoding="utf-8") as f:
            for line in f:
                if line.startswith("#") or not line.strip():
                    continue
                cols = line.rstrip("\n").split("\t")
                if len(cols) >= 2 and cols[1] in names:
                    names[cols[1]].append(cols[0])
                    if len(cols) >= 3 and cols[2]:
                        names[cols[1]].extend(a for a in cols[2].split("|") if a)
    return names


def is_chinese(s):
    return any("\u4e00" <= c <= "\u9fff" for c in s)


def synthetic(paths, lexicon_dir, megabytes, seed):
    rng = random.Random(seed)
    lexicon = load_lexicon(lexicon_dir)
    # Names a sentence contains, longest first, found once per sentence.
    by_length = sorted(((n, t) for t, ns in lexicon.items() for n in set(ns) if len(n) >= 2),
                       key=lambda x: -len(x[0]))
    pools = {"zh": [], "en": []}
    for rec in records(paths):
        for m in SENTENCE.finditer(rec["text"]):
            s = m.group(0).strip()
            if len(s) < 8:
                continue
            found, rest = [], s
            for name, t in by_length:
                if name in rest:
                    found.append((name, t))
                    rest = rest.replace(name, "\0")
            pools["zh" if is_chinese(s) else "en"].append((s, found))
    by_lang = {t: {"zh": [n for n in ns if is_chinese(n)], "en": [n for n in ns if not is_chinese(n)]}
               for t, ns in lexicon.items()}
    target, size, n = megabytes * 1_000_000, 0, 0
    while size < target:
        lang = rng.choice(("zh", "zh", "en"))
        pool = pools[lang] or pools["zh"] or pools["en"]
        swap = {}
        sentences = []
        for s, found in rng.sample(pool, min(len(pool), rng.randint(6, 30))):
            for name, t in found:
                if name not in swap:
                    choices = by_lang[t][lang] or lexicon[t]
                    # One article keeps its cast: a name swapped once is swapped alike throughout.
                    swap[name] = rng.choice(choices) if rng.random() < 0.7 else name
                s = s.replace(name, swap[name])
            s = re.sub(r"\d+", lambda d: str(rng.randint(1, 10 ** len(d.group(0)) - 1)), s)
            sentences.append(s)
        text = ("" if lang == "zh" else " ").join(sentences)
        n += 1
        rec = {"id": f"synthetic/{n:07d}", "text": text, "date": f"20{rng.randint(15, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"}
        line = json.dumps(rec, ensure_ascii=False)
        size += len(line.encode("utf-8")) + 1
        yield rec


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="+", help="article files or directories")
    ap.add_argument("-o", "--output", default="-", help="the JSON Lines file (default: standard output)")
    ap.add_argument("--megabytes", type=float, help="write a synthetic corpus of about this size instead")
    ap.add_argument("--lexicon", default="data/lexicon", help="the lexicon whose names the synthetic corpus uses")
    ap.add_argument("--seed", type=int, default=12, help="the synthetic corpus's random seed")
    args = ap.parse_args()
    out = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8")
    recs = synthetic(args.paths, args.lexicon, args.megabytes, args.seed) if args.megabytes else records(args.paths)
    count = 0
    for rec in recs:
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        count += 1
    if out is not sys.stdout:
        out.close()
    print(f"{count} articles", file=sys.stderr)


if __name__ == "__main__":
    main()
