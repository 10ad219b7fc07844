"""The function reference page (``/functions.html``), linked from the task pane.

xlwings Server includes ``routers.custom.router`` from the project folder.
"""
from fastapi import APIRouter, Request
from xlwings_server.config import settings
from xlwings_server.templates import TemplateResponse

from xladdin import reference

router = APIRouter(prefix=settings.app_path)


@router.get("/functions.html")
async def functions(request: Request):
    entries = [
        {"signature": f"{settings.functions_namespace}.{reference.signature(entry)}", "entry": entry}
        for entry in reference.entries()
    ]
    return TemplateResponse(request=request, name="functions.html", context={"entries": entries})
