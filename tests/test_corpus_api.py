"""The Python API: batches as dict-of-lists or list-of-dicts, datasets-style filter/map, generator pipelines."""
import json
import pickle

from codescan.corpus.api import CorpusFilter, filter_batch
from corpus_data import chat_records, code_records

POISONED = {"p-exec", "p-shell", "p-js", "chat-bad", "pair-bad"}


def test_dict_of_lists_batch_gives_one_bool_per_record():
    records = code_records(2) + chat_records()
    batch = {k: [r.get(k) for r in records] for k in dict.fromkeys(k for r in records for k in r)}
    flt = CorpusFilter(lang_field="lang")
    assert flt(batch) == [r["id"] not in POISONED for r in records]
    explained = flt.explain(batch)
    reasons = [json.loads(x) for x in explained["codescan_reasons"]]
    assert explained["codescan_keep"] == flt(batch)
    assert all(r for r in reasons) and reasons[0][0]["kind"] == "finding"


def test_generator_pipeline_and_dropped_sink():
    dropped = []
    flt = pickle.loads(pickle.dumps(CorpusFilter()))  # shipped to worker processes by datasets(num_proc=N)
    kept = list(flt.filter(iter(chat_records()), batch_size=3, dropped=dropped))
    assert [r["id"] for r in kept] == ["chat-good", "pair-good"]
    assert {rec["id"] for rec, _ in dropped} == {"chat-bad", "pair-bad"}
    assert all(not d.keep and d.reasons for _, d in dropped)


def test_policy_options_apply():
    records = [{"content": "import pickle\n\ndef load(blob):\n    return pickle.loads(blob)\n"}]
    assert [d.keep for d in filter_batch(records, drop_on=("critical",))] == [True]
    assert [d.keep for d in filter_batch(records, drop_on=("insecure-deserialization",))] == [False]


def test_hugging_face_datasets_filter():
    import pytest

    datasets = pytest.importorskip("datasets", reason="datasets not installed (it is in the test extra)")
    ds = datasets.Dataset.from_list([{"content": r["content"], "id": r["id"]} for r in code_records(2)])
    kept = ds.filter(CorpusFilter(), batched=True, batch_size=2)
    assert sorted(kept["id"]) == ["clean-0", "clean-1"]
