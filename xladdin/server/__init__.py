"""The add-in that xlwings Server serves to Excel: ``xladdin serve`` (``pip install .[server]``).

This folder is an xlwings Server *project folder*: xlwings Server's own package is the
web application (routes, Office.js glue, vendored scripts); what is ours lives here and
xlwings Server finds it through ``XLWINGS_PROJECT_DIR`` (templates and static files in
this folder take precedence over the package's):

- ``custom_functions/`` the catalogue, unchanged (``udfs.CATALOGUE``);
- ``custom_scripts/`` empty on purpose: the add-in runs no macros;
- ``templates/manifest.xml`` the Office add-in manifest: the ids below, our name, icons
  served by this server (no outside links), the namespace below, and one ribbon button
  that opens the task pane;
- ``templates/taskpane.html``, ``templates/functions.html`` with ``routers/custom.py``:
  the Chinese task pane and the function reference page;
- ``static/`` icons, and ``js/ribbon.js``, which replaces xlwings Server's demo ribbon action.

Importing this module imports neither xlwings Server nor ``udfs``: in a process that
serves, ``xlwings`` must be loaded before ``udfs`` so that the functions carry their
xlwings metadata (see ``custom_functions``).
"""
from __future__ import annotations

import errno
import os
import socket
import ssl
from importlib import metadata
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent

#: The functions namespace: a cell calls ``=JIXIAO.SCORE_PROCUREMENT(C5,D5)`` and Excel
#: saves it as ``_xldudf_JIXIAO_SCORE_PROCUREMENT(C5,D5)``. 绩效 in pinyin, ASCII so that
#: every Excel accepts it; fixed, because it is part of every formula a user saves.
NAMESPACE = "JIXIAO"
PROJECT_NAME = "绩效评价评分函数"
#: One id per xlwings Server environment, fixed: Excel knows an installed add-in by its id,
#: so a new id would be a second add-in beside the first.
MANIFEST_IDS = {
    "prod": "d4aabb75-e567-42b8-b2c8-af6d5194d4fd",
    "staging": "132e4f51-0ecd-4059-a1ad-87471d3f72eb",
    "uat": "0d6712c1-d798-4dc3-aba9-deadac3c6f44",
    "qa": "1b2f2e1e-d125-4130-855b-c200a85e7746",
    "dev": "f33219ae-1d96-4310-ad71-3f0269629be3",
}
#: The xlwings Server release line this folder is written for (pyproject's ``server`` extra).
SERVER_SERIES = "1.20"
LICENCE_NOTICE = (
    "许可：xlwings Server 与 xlwings PRO 的代码按 PolyForm Noncommercial 1.0.0 许可使用"
    "（XLWINGS_LICENSE_KEY=noncommercial）。该许可允许政府机关等非商业用途；商业用途须向 xlwings 购买商业许可。"
)


def missing_extra() -> str | None:
    """Why this interpreter cannot serve (Chinese), or None."""
    try:
        version = metadata.version("xlwings-server")
    except metadata.PackageNotFoundError:
        return "未安装服务器组件 xlwings-server。请在本项目目录执行：pip install \".[server]\""
    if version != SERVER_SERIES and not version.startswith(SERVER_SERIES + "."):
        return (
            f"已安装的 xlwings-server 版本为 {version}，本软件需要 {SERVER_SERIES}.x。"
            "请在本项目目录执行：pip install \".[server]\""
        )
    return None


def environment(hostname: str | None = None, log_level: str = "warning") -> dict[str, str]:
    """The ``XLWINGS_*`` settings that make xlwings Server serve this add-in.

    Settings not named here (authentication, CORS, custom headers …) stay with
    xlwings Server's own environment variables, for the bureau to set.
    """
    env = {
        "XLWINGS_PROJECT_DIR": str(PROJECT_DIR),
        "XLWINGS_PROJECT_NAME": PROJECT_NAME,
        "XLWINGS_FUNCTIONS_NAMESPACE": NAMESPACE,
        "XLWINGS_ENVIRONMENT": "prod",
        "XLWINGS_LICENSE_KEY": os.environ.get("XLWINGS_LICENSE_KEY") or "noncommercial",
        # no demo pages, no live connection, no Pyodide or Office.js from a CDN: the
        # task pane and the function calls are all this add-in uses
        "XLWINGS_ENABLE_EXAMPLES": "false",
        "XLWINGS_ENABLE_SOCKETIO": "false",
        "XLWINGS_ENABLE_HOTRELOAD": "false",
        "XLWINGS_ENABLE_WASM": "false",
        "XLWINGS_ENABLE_HTMX": "false",
        "XLWINGS_ENABLE_ALPINEJS_CSP": "false",
        "XLWINGS_CDN_OFFICEJS": "false",
        "XLWINGS_LOG_LEVEL": os.environ.get("XLWINGS_LOG_LEVEL") or log_level.upper(),
    }
    env.update({f"XLWINGS_MANIFEST_ID_{name.upper()}": uuid for name, uuid in MANIFEST_IDS.items()})
    if hostname:
        env["XLWINGS_HOSTNAME"] = hostname
    return env


def hostname_problem(hostname: str) -> str | None:
    """Why ``--hostname`` cannot go into the manifest's https:// URLs (Chinese), or None."""
    if "://" in hostname or "/" in hostname:
        return f"--hostname 只写主机名（可加端口），如 jixiao.czj.example:8443，不写 https:// 或路径：{hostname}"
    host, _, port = hostname.rpartition(":") if hostname.count(":") == 1 else (hostname, "", "")
    if not host or any(ch.isspace() for ch in hostname) or (port and not (port.isdigit() and 0 < int(port) < 65536)):
        return f"--hostname 不是有效的主机名：{hostname}"
    return None


def tls_problem(certfile: str | None, keyfile: str | None) -> str | None:
    """Why the certificate and key cannot serve HTTPS (Chinese), or None."""
    if bool(certfile) != bool(keyfile):
        return "--ssl-certfile 和 --ssl-keyfile 须同时给出（证书文件和对应的私钥文件）"
    if not certfile:
        return None
    for option, path in (("--ssl-certfile", certfile), ("--ssl-keyfile", keyfile)):
        if not Path(path).is_file():
            return f"{option} 指定的文件不存在：{path}"
    try:
        ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(certfile, keyfile)
    except (ssl.SSLError, OSError, ValueError):
        return f"无法使用证书 {certfile} 和私钥 {keyfile}：请确认两者为 PEM 格式、互相匹配，且私钥没有密码"
    return None


def port_problem(host: str, port: int) -> str | None:
    """Why the server cannot listen on ``host:port`` (Chinese), or None.

    The same bind the server does (with SO_REUSEADDR, as uvicorn), released at once.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror:
        return f"--host 不是本机的地址或无法解析：{host}"
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                return f"端口 {port} 已被占用（{host}）：请先停止占用它的程序，或用 --port 换一个端口"
            if error.errno in (errno.EACCES, errno.EPERM):
                return f"没有权限使用端口 {port}：1024 以下的端口需要管理员权限，请换用如 8443 的端口"
            if error.errno == errno.EADDRNOTAVAIL:
                return f"--host {host} 不是本机的地址"
            return f"无法在 {host}:{port} 上监听：{error.strerror}"
    return None


def base_url(host: str, port: int, https: bool, hostname: str | None) -> str:
    """Where Excel reaches the server: the manifest's host when given, else ``host:port``."""
    if hostname:
        return f"https://{hostname}"
    shown = f"[{host}]" if ":" in host else host
    return f"{'https' if https else 'http'}://{shown}:{port}"


def serve(host: str, port: int, workers: int, certfile: str | None, keyfile: str | None,
          hostname: str | None, log_level: str = "warning") -> None:
    """Runs xlwings Server with this folder until it is stopped (Ctrl+C, SIGTERM)."""
    os.environ.update(environment(hostname, log_level))
    import uvicorn

    uvicorn.run(
        "xlwings_server.main:main_app",
        host=host,
        port=port,
        workers=workers,
        ssl_certfile=certfile,
        ssl_keyfile=keyfile,
        log_level=log_level,
    )
