"""Ray analysis that one record cannot take down with its neighbours: each map_batches actor hands its batches to an
analyzer actor of its own; when that actor dies (a segfault, an OOM kill), the batch is re-run record by record in
fresh analyzer actors, and the record that kills one is reported as the culprit (issue 15)."""
from __future__ import annotations

from ..analyze.document import Analyzer
from ..analyze.guard import EXHAUSTED
from ..records import Analysis, Document
from ..worker_pool import address_space, default_memory, limit_memory


class WorkerDied(Exception):
    """The Ray worker analyzing a record died; the message names how Ray reported it."""


class RecordAnalyzer:
    """The analyzer actor (made remote by `Isolated`): it alone runs the analysis, so its death loses no other state.
    Its address space may grow by `memory` bytes past what Ray mapped at start (the object store is mapped in)."""

    def __init__(self, ruleset, config, units: bool, memory: int):
        mapped = address_space()
        if memory and mapped:
            limit_memory(mapped + memory)
        self.analyzer = Analyzer(ruleset, config, units=units)

    def analyze(self, docs: list[Document]) -> list[Analysis]:
        from .. import pipeline  # looked up per call: the crash tests replace it in Ray workers

        return [pipeline._safe_analyze(self.analyzer, doc) for doc in docs]


class Isolated:
    """Analyzes batches in a RecordAnalyzer actor on this node; a batch whose actor dies is re-run one record at a
    time, each death naming its record (an analysis-exhausted finding and a skip) while the others are analyzed."""

    def __init__(self, ruleset, config, units: bool, cpus: int):
        self.args = (ruleset, config, units,
                     config.max_memory * (1 << 20) if config.max_memory else default_memory(cpus))
        self.selected = any(r.id == EXHAUSTED for r in ruleset.rules)
        self.actor = None
        self.deaths = 0  # analyzer actors lost (figures, tests)

    def analyze(self, docs: list[Document]) -> list[Analysis]:
        import ray

        try:
            return ray.get(self._actor().analyze.remote(docs))
        except ray.exceptions.RayError:
            self._drop()
        out: list[Analysis] = []
        for doc in docs:
            try:
                out.extend(ray.get(self._actor().analyze.remote([doc])))
            except ray.exceptions.RayError as exc:
                from ..pipeline import _culprit

                out.append(_culprit(self.selected, doc, WorkerDied(f"Ray reported {type(exc).__name__}")))
                self._drop()
        return out

    def _actor(self):
        import ray
        from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

        if self.actor is None:
            here = NodeAffinitySchedulingStrategy(node_id=ray.get_runtime_context().get_node_id(), soft=True)
            remote = ray.remote(num_cpus=0, max_restarts=0, max_task_retries=0,
                                scheduling_strategy=here)(RecordAnalyzer)
            self.actor = remote.remote(*self.args)
        return self.actor

    def _drop(self) -> None:
        import ray

        self.deaths += 1
        if self.actor is not None:
            try:
                ray.kill(self.actor, no_restart=True)
            except Exception:  # noqa: BLE001 - already gone
                pass
        self.actor = None
