"""The audit on a Dask LocalCluster (2 worker processes) gives the plain loop's results."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")

from vnproof.audit.cli import main  # noqa: E402
from vnproof.audit.inputs import iter_items  # noqa: E402
from vnproof.audit.runner import AuditConfig, numbered, run_dask, run_loop  # noqa: E402

_spec = importlib.util.spec_from_file_location("audit_fixtures", Path(__file__).parent / "fixtures" / "audit" / "build.py")
fx = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fx)



@pytest.fixture(scope="module")
def cluster():
    from dask.distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as c, \
            Client(c) as client:
        yield c, client


@pytest.mark.parametrize("batch", [3, 16])   # several tasks with a short last one; one task
def test_localcluster_same_as_loop(cluster, tmp_path, monkeypatch, batch):
    from vnproof.audit import runner

    monkeypatch.setattr(runner, "DASK_BATCH", batch)   # articles per Dask task
    c, client = cluster
    src = fx.small_articles(tmp_path / "in", n=8)
    fx.seed_folder(src)
    cfg = AuditConfig()
    plain, dist = [], []
    run_loop(numbered(iter_items([src])), cfg, plain.append)
    run_dask(numbered(iter_items([src])), cfg, dist.append, client)
    key = lambda r: r["seq"]  # noqa: E731
    assert sorted(dist, key=key) == sorted(plain, key=key)
    assert any(i["text"] == "vảo" for r in dist for i in r["issues"])
    # The checker was loaded once per worker process, not per task.
    loaded = client.run(lambda: len(runner._CONTEXTS))
    assert sorted(loaded.values()) == [1, 1]


def test_cli_dask_address_same_reports(cluster, tmp_path):
    c, _ = cluster
    src = fx.small_articles(tmp_path / "in", n=6)
    assert main([str(src), "-o", str(tmp_path / "plain"), "--no-progress"]) == 0
    assert main([str(src), "-o", str(tmp_path / "dask"), "--no-progress", "--dask", c.scheduler_address]) == 0
    for name in ("issues.jsonl", "articles.csv"):
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "plain" / name).read_bytes()


def test_learn_on_dask_writes_a_model_the_service_loads(cluster, tmp_path):
    """`vnproof audit --learn --dask` leaves `archive-model/`, a house model that `Checker(models=[dir])`
    and the service (`VNPROOF_MODELS`) load; the Dask workers checked with it exactly as the loop did."""
    import json

    from fastapi.testclient import TestClient

    from service.app import create_app
    from service.config import Settings
    from vnproof import Checker

    c, _ = cluster
    src = fx.small_articles(tmp_path / "in", n=10)
    assert main([str(src), "-o", str(tmp_path / "loop"), "--no-progress", "--learn"]) == 0
    assert main([str(src), "-o", str(tmp_path / "dask"), "--no-progress", "--learn", "--dask", c.scheduler_address]) == 0
    assert (tmp_path / "dask" / "issues.jsonl").read_bytes() == (tmp_path / "loop" / "issues.jsonl").read_bytes()
    model = tmp_path / "dask" / "archive-model"
    assert json.loads((model / "meta.json").read_text(encoding="utf-8"))["source"] == "vnproof audit --learn"
    checker = Checker(models=[model])
    assert len(checker.lm.models) == 2        # the default model plus this one
    text = json.loads((src / "small.jsonl").read_text(encoding="utf-8").splitlines()[0])["text"]
    assert isinstance(checker.check(text), list)
    settings = Settings(db_path=tmp_path / "s.sqlite3", models=[str(model)])
    with TestClient(create_app(settings)) as client:   # loads its own checker, with the model
        assert client.get("/ready").json()["checker"] is True
        assert len(client.app.state.checker.lm.models) == 2
        assert client.post("/v1/check", json={"text": text}).status_code == 200
