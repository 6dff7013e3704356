"""Units, normalized shingles, MinHash (same values as datasketch), banded LSH and the incremental store."""
from __future__ import annotations

import sqlite3

import numpy as np
from datasketch import MinHash

from codescan.analyze import languages
from codescan.cluster import lsh, minhash
from codescan.cluster.corpus import Corpus, Occurrence, unit_edges
from codescan.cluster.shingles import VAR, shingle_hashes, tokens
from codescan.cluster.store import ClusterStore
from codescan.cluster.units import extract, line_hash, lines

ORIGINAL = b'''import base64

def fetch_config(url, retries=3):
    """Fetch the config at url."""
    for attempt in range(retries):
        data = urlopen(url).read()
        if data:
            return base64.b64decode(data).decode("utf-8")
    return None
'''
RENAMED = b'''import base64
def grab(addr,  n=5):
  """Fetch the config at addr."""
  for k in range(n):
    blob = urlopen(addr).read()
    if blob:
      return base64.b64decode(blob).decode('latin-1')
  return None
'''


def parse(source: bytes):
    return languages.parser("python").parse(source)


def stream(source: bytes):
    return tokens(parse(source), source)


def test_renamed_and_reformatted_copy_gives_the_same_tokens():
    assert np.array_equal(stream(ORIGINAL).hashes, stream(RENAMED).hashes)


def test_api_and_attribute_names_stay_while_locals_go():
    a = stream(b"def f(x):\n    return x.b64decode(x)\n")
    b = stream(b"def f(x):\n    return x.loads(x)\n")
    assert not np.array_equal(a.hashes, b.hashes)  # attribute names are kept
    import xxhash
    assert xxhash.xxh64_intdigest(VAR) in a.hashes.tolist()


def test_minhash_equals_datasketch_values():
    shingles = shingle_hashes(stream(ORIGINAL).hashes)
    mine = minhash.signatures([shingles, np.zeros(0, dtype=np.uint64), shingles[:3]])
    reference = MinHash(num_perm=minhash.NUM_PERM, seed=minhash.SEED, scheme="affine64", hashfunc=lambda v: v)
    reference.update_batch([int(v) for v in shingles])
    assert np.array_equal(mine[0], reference.hashvalues)
    assert minhash.lean(mine[0]).jaccard(minhash.lean(mine[0])) == 1.0
    assert (mine[1] == np.iinfo(np.uint64).max).all()
    assert np.array_equal(minhash.from_bytes(minhash.to_bytes(mine[2])), mine[2])


def test_units_cover_functions_blocks_file_and_lines():
    source = b"# header comment for the whole module file\n" + ORIGINAL + \
        b"DEFAULTS = {'host': 'localhost', 'port': 8080, 'debug': False}\nlogging.basicConfig(level=logging.INFO)\n" \
        b"\nclass Store:\n" + b"".join(
        f"    def m{i}(self, key, value=None):\n        self.items[key] = value or self.default[key] + {i}\n"
        .encode() for i in range(3))
    units = extract(parse(source), source, "python")
    kinds = {u.kind for u in units}
    assert {"function", "class", "block", "file", "line"} <= kinds
    fn = next(u for u in units if u.kind == "function" and u.name == "fetch_config")
    assert (fn.line, fn.end_line) == (4, 10) and len(fn.signature) == 8 * minhash.NUM_PERM
    assert all(len(u.signature) == 8 for u in units if u.kind == "line")


def test_comment_stem_links_lines_that_differ_in_their_last_word():
    a = {line_hash(u) for u in lines(b"    # Process the uploaded template file with the proper loader alpha\n")}
    b = {line_hash(u) for u in lines(b"# Process the uploaded template file with the proper loader beta\n")}
    assert len(a & b) == 1


def test_bands_reach_the_recall_asked_for():
    bands, rows = lsh.choose_bands(0.7, 128, 0.99)
    assert bands * rows <= 128 and lsh.candidate_probability(0.7, bands, rows) >= 0.99
    assert lsh.candidate_probability(0.2, bands, rows) < 0.1


def _corpus(sources: dict) -> Corpus:
    corpus = Corpus()
    for repo, source in sources.items():
        blob = f"blob-{repo}"
        corpus.add_blob(blob, [u for u in extract(parse(source), source, "python") if u.kind != "line"])
        corpus.add_occurrence(blob, Occurrence(repo, "a.py"))
    return corpus


def test_lsh_links_renamed_copies_and_not_unrelated_code():
    other = b"def unrelated(a, b):\n    total = sum(x * x for x in a)\n    while total > b:\n        total //= 2\n" \
            b"    print('done', total, sep=':')\n    return [total] * len(a)\n"
    corpus = _corpus({"r1": ORIGINAL, "r2": RENAMED, "r3": other})
    edges = unit_edges(corpus)
    linked = {frozenset((corpus.unit_blob[a], corpus.unit_blob[b])) for a, b in edges}
    assert frozenset((0, 1)) in linked
    assert not any(2 in pair for pair in linked)


def test_union_find_groups():
    uf = lsh.UnionFind(5)
    uf.union(0, 3)
    uf.union(3, 4)
    assert sorted(map(sorted, uf.groups())) == [[0, 3, 4], [1], [2]]


def test_store_indexes_new_blobs_only_and_keeps_links():
    conn = sqlite3.connect(":memory:")
    first = _corpus({"r1": ORIGINAL, "r2": RENAMED})
    links = ClusterStore(conn).update(first)
    assert len(links) >= 1
    assert conn.execute("SELECT count(*) FROM cluster_blobs").fetchone()[0] == 2
    # A later crawl adds a blob: only it is indexed; it links to the stored units.
    second = _corpus({"r1": ORIGINAL, "r2": RENAMED, "r3": ORIGINAL.replace(b"retries", b"tries")})
    before = conn.execute("SELECT count(*) FROM cluster_bands").fetchone()[0]
    links = ClusterStore(conn).update(second)
    assert conn.execute("SELECT count(*) FROM cluster_bands").fetchone()[0] > before
    blobs = {frozenset((second.unit_blob[a], second.unit_blob[b])) for a, b in links}
    assert any(2 in pair for pair in blobs)
    expected = {frozenset((second.unit_blob[a], second.unit_blob[b])) for a, b in unit_edges(second)}
    assert expected <= blobs | {p for p in expected if len(p) == 1}


def test_analyzer_fills_units_only_when_asked():
    from codescan.analyze.document import Analyzer
    from codescan.config import Config
    from codescan.records import Document
    from codescan.rules import load_rules

    ruleset = load_rules()
    doc = Document(path="a.py", content=ORIGINAL)
    assert Analyzer(ruleset, Config()).analyze(doc).units == ()
    units = Analyzer(ruleset, Config(), units=True).analyze(doc).units
    assert any(u.kind == "function" and u.name == "fetch_config" for u in units)
