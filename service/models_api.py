"""`/v1/models/house`: the caller's tenant's house model, uploaded whole or trained from articles."""
from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from .archives import kind
from .auth import TenantDep, WriterDep
from .house import HouseModels, UploadError

router = APIRouter(prefix="/v1/models", tags=["models"])

_BODY = {"requestBody": {"required": True, "content": {
    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}}


def _house(request: Request) -> HouseModels:
    return request.app.state.house


@router.put("/house", openapi_extra=_BODY, status_code=201)
async def upload(request: Request, tenant: WriterDep) -> JSONResponse:
    """The body is either a tar/zip of a model folder (`vnproof train -o DIR`; live once this answers
    201) or the articles to train one from: JSONL, or a tar/zip of .txt/.jsonl/.html files (202;
    follow the job at GET /v1/models/house). Only this tenant's checks use it."""
    data = await request.body()
    if not data:
        raise HTTPException(400, "empty body: send a model archive (tar/zip of the folder `vnproof train` "
                                 "writes) or articles (JSONL, or a tar/zip of .txt/.jsonl/.html files)")
    house = _house(request)
    try:
        if kind(data) in ("zip", "tar") and await run_in_threadpool(_is_model_archive, data):
            version = await run_in_threadpool(house.install_upload, tenant, data)
            return JSONResponse({"tenant": tenant, "state": "ready", "version": version,
                                 "model": house.info(tenant)}, status_code=201)
        status = await run_in_threadpool(house.start_training, tenant, data)
    except UploadError as e:
        raise HTTPException(e.status, str(e)) from None
    return JSONResponse({"tenant": tenant, "state": status["state"], "training": _public(status)},
                        status_code=202)


@router.get("/house")
async def status(request: Request, tenant: TenantDep) -> dict:
    """The live house model (or null) and the last training job (or null)."""
    house = _house(request)
    info = await run_in_threadpool(house.info, tenant)
    training = await run_in_threadpool(house.training, tenant)
    return {"tenant": tenant, "model": info, "training": _public(training) if training else None}


def _public(status: dict) -> dict:
    return {k: v for k, v in status.items() if k not in ("pid", "host")}


def _is_model_archive(data: bytes) -> bool:
    """Whether an archive lists a meta.json at its top or one folder down (without unpacking it)."""
    import io
    import tarfile
    import zipfile

    try:
        if kind(data) == "zip":
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        else:
            names = tarfile.open(fileobj=io.BytesIO(data), mode="r:*").getnames()
    except (tarfile.TarError, zipfile.BadZipFile, EOFError, OSError) as e:
        raise UploadError(f"damaged archive: {e}") from None
    parts = (n.replace("\\", "/").removeprefix("./").rstrip("/").split("/") for n in names)
    return any(p[-1] == "meta.json" and len(p) <= 2 for p in parts)
