"""A bureau serves the functions from one machine: ``xladdin serve`` (xlwings Server).

The server is started as a bureau starts it, on a free loopback port, with HTTPS (a
certificate made for 127.0.0.1) and two workers, and asked what Excel asks: the
manifest, the function metadata, and function calls in the form Office.js sends them
(the cases of test_lite_officejs.py). Every request goes to 127.0.0.1 only; the number
of requests is fixed and every wait is bounded. Expected results come from the rules
and the seed report (see lite_cases.OFFICEJS_CASES) and from ``udfs`` called directly.
Skipped without the ``server`` extra, except under CI=true, which installs it.
"""
from __future__ import annotations

import datetime as dt
import http.client
import importlib.util
import ipaddress
import json
import os
import re
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from importlib import metadata
from pathlib import Path

import pytest
from defusedxml import ElementTree

import udfs
from lite_cases import OFFICEJS_CASES, assert_registers_the_catalogue
from xladdin import cli, server

if importlib.util.find_spec("xlwings_server") is None:
    if os.environ.get("CI") == "true":
        raise RuntimeError("CI installs the server extra (scripts/setup): xlwings_server is missing")
    pytest.skip("the server extra is not installed: pip install .[server]", allow_module_level=True)

HOST = "127.0.0.1"
STARTUP_SECONDS = 90
REQUEST_SECONDS = 30
BURST_CALLS, BURST_CLIENTS = 300, 15
OFFICE = "{http://schemas.microsoft.com/office/appforoffice/1.1}"
OVERRIDES = "{http://schemas.microsoft.com/office/taskpaneappversionoverrides}"
BT = "{http://schemas.microsoft.com/office/officeappbasictypes/1.0}"
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
#: How Office.js receives the error literals the functions return.
OFFICE_ERRORS = {"#N/A": "NotAvailable", "#VALUE!": "Value", "#DIV/0!": "DivisionByZero"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 (cryptography comes with xlwings Server's dependencies)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(HOST))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    certfile, keyfile = folder / "server.pem", folder / "server-key.pem"
    certfile.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    keyfile.write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return certfile, keyfile


class Server:
    def __init__(self, port: int, certfile: Path, stdout: Path):
        self.port = port
        self.tls = ssl.create_default_context(cafile=str(certfile))  # verifies the certificate and 127.0.0.1
        self.stdout = stdout

    def connection(self) -> http.client.HTTPSConnection:
        return http.client.HTTPSConnection(HOST, self.port, timeout=REQUEST_SECONDS, context=self.tls)

    def get(self, path: str) -> tuple[int, str, bytes]:
        conn = self.connection()
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            return response.status, response.getheader("Content-Type", ""), response.read()
        finally:
            conn.close()


def call_body(name: str, args: list) -> bytes:
    """A call as xlwings' Office.js code posts it to /xlwings/custom-functions-call."""
    return json.dumps({
        "func_name": name, "args": args, "version": metadata.version("xlwings"), "client": "Office.js",
        "runtime": "1.4", "caller_address": "评分表!I11", "culture_info_name": "zh-CN", "date_format": "yyyy/m/d",
    }, ensure_ascii=False).encode("utf-8")


def post_call(conn: http.client.HTTPConnection, name: str, args: list):
    conn.request("POST", "/xlwings/custom-functions-call", body=call_body(name, args),
                 headers={"Content-Type": "application/json"})
    response = conn.getresponse()
    body = response.read()
    assert response.status == 200, (name, response.status, body[:300])
    return json.loads(body)["result"]


def plain(arg: list):
    """An Office.js argument as xlwings hands it to the function: a cell as its value, a column as a list."""
    values = [v for row in arg for v in row]
    value = values[0] if len(values) == 1 else values
    return None if value == "" else value


def as_office_js(result):
    if isinstance(result, str) and result in OFFICE_ERRORS:
        return [[{"type": "Error", "errorType": OFFICE_ERRORS[result]}]]
    return [[result]]


def expected(name: str, args: list):
    """What the catalogue function itself returns for the call, as Office.js receives it."""
    return as_office_js(udfs.CATALOGUE[name](*map(plain, args)))


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("serve")
    certfile, keyfile = self_signed_certificate(folder)
    port = free_port()
    stdout = folder / "stdout.txt"
    env = dict(os.environ, XLWINGS_LICENSE_KEY="noncommercial", PYTHONIOENCODING="utf-8")
    with open(stdout, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "xladdin.cli", "serve", "--port", str(port), "--workers", "2",
             "--ssl-certfile", str(certfile), "--ssl-keyfile", str(keyfile), "--hostname", f"{HOST}:{port}"],
            stdout=out, stderr=subprocess.STDOUT, env=env, cwd=folder, start_new_session=True,
        )
    try:
        srv = Server(port, certfile, stdout)
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            assert process.poll() is None, stdout.read_text(encoding="utf-8")[-3000:]
            try:
                if srv.get("/")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the server did not answer in time:\n" + stdout.read_text(encoding="utf-8")[-3000:]
            time.sleep(0.5)
        yield srv
    finally:
        process.send_signal(signal.SIGINT)  # as Ctrl+C: uvicorn stops its workers
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)


def test_serve_says_where_the_manifest_is_and_under_which_licence(served):
    text = served.stdout.read_text(encoding="utf-8")
    assert f"加载项清单：https://{HOST}:{served.port}/manifest.xml" in text
    assert "PolyForm Noncommercial" in text and "政府机关" in text
    assert f"={server.NAMESPACE}.SCORE_PROCUREMENT(" in text
    assert "未使用 HTTPS" not in text


@pytest.fixture(scope="module")
def manifest(served):
    status, kind, body = served.get("/manifest.xml")
    assert status == 200
    return ElementTree.fromstring(body)


def test_the_manifest_is_ours(manifest):
    assert manifest.findtext(f"{OFFICE}Id") == server.MANIFEST_IDS["prod"]
    assert manifest.findtext(f"{OFFICE}ProviderName") == "部门整体支出绩效评价"
    assert manifest.find(f"{OFFICE}DisplayName").get("DefaultValue") == server.PROJECT_NAME
    strings = {s.get("id"): s.get("DefaultValue") for s in manifest.iter(f"{BT}String")}
    assert strings["Functions.Namespace"] == server.NAMESPACE
    points = [e.get(XSI_TYPE) for e in manifest.iter(f"{OVERRIDES}ExtensionPoint")]
    assert sorted(points) == ["CustomFunctions", "PrimaryCommandSurface"]
    # one ribbon button, and it opens the task pane: no demo buttons that run code
    actions = [a.get(XSI_TYPE) for a in manifest.iter(f"{OVERRIDES}Action")]
    assert actions == ["ShowTaskpane"]
    assert "xlwings" not in ElementTree.tostring(manifest, encoding="unicode").lower().replace("/xlwings/custom-functions", "")


def test_every_url_of_the_manifest_is_on_the_configured_host_and_served(manifest, served):
    base = f"https://{HOST}:{served.port}"
    urls = [v for e in manifest.iter() for v in [*e.attrib.values(), e.text or ""] if "://" in v]
    assert len(urls) >= 10
    assert [u for u in urls if not (u == base or u.startswith(base + "/"))] == []
    for url in set(urls) - {base}:
        status, kind, body = served.get(url[len(base):])
        assert status == 200, url
        if url.endswith(".png"):
            local = server.PROJECT_DIR / url[len(base) + 1:]
            assert kind == "image/png" and body == local.read_bytes()  # our icons, from this server


def test_the_functions_script_of_the_manifest_declares_every_catalogue_function(manifest, served):
    urls = {u.get("id"): u.get("DefaultValue") for u in manifest.iter(f"{BT}Url")}
    script = urls["Functions.Script.Url"]
    status, kind, body = served.get(script[len(f"https://{HOST}:{served.port}"):])
    assert status == 200 and "javascript" in kind
    declared = set(re.findall(r'CustomFunctions\.associate\("([A-Z_]+)"', body.decode("utf-8")))
    assert declared == set(udfs.CATALOGUE)


def test_the_task_pane_is_chinese_and_links_to_the_function_reference(served):
    status, _, body = served.get("/taskpane.html")
    page = body.decode("utf-8")
    assert status == 200
    assert "评分规则" in page and f"={server.NAMESPACE}.SCORE_PROCUREMENT(C5,D5)" in page
    assert 'href="/functions.html"' in page
    assert "空单元格当作 0" in page  # what the server path does with blank cells
    loaded = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert loaded and [u for u in loaded if not u.startswith("/")] == []  # nothing from outside this server
    status, _, body = served.get("/functions.html")
    reference = body.decode("utf-8")
    assert status == 200
    for name in udfs.CATALOGUE:
        assert f"{server.NAMESPACE}.{name}(" in reference


def test_the_metadata_registers_exactly_the_catalogue_with_its_chinese_help(served):
    status, _, body = served.get("/xlwings/custom-functions-meta.json")
    assert status == 200
    assert_registers_the_catalogue(json.loads(body))


def test_excel_calls_get_what_the_functions_give(served):
    conn = served.connection()
    try:
        results = [post_call(conn, name, args) for name, args in OFFICEJS_CASES]
    finally:
        conn.close()
    for (name, args), result in zip(OFFICEJS_CASES, results):
        assert result == expected(name, args), name
    procurement, ratio, grade, satisfaction, quarterly, empty_string, js_null, note = results
    assert procurement == [[1.98]]  # the seed report: 98.33% → 1.98 points
    assert ratio == [[2]] and grade == [["优"]] and satisfaction == [[6]]
    assert quarterly == [[5.99]]  # the seed report's 预算执行率
    na = [[{"type": "Error", "errorType": "NotAvailable"}]]
    assert empty_string == na and js_null == na  # a blank that arrives as blank is #N/A
    assert "采购计划金额为空" in note[0][0]


def test_a_burst_of_calls_from_many_clients(served):
    """300 calls from 15 clients at once (two workers): every answer right, none failed."""
    per_client = BURST_CALLS // BURST_CLIENTS
    wrong, failures, latencies = [], [], []
    lock = threading.Lock()

    def client(k: int):
        conn = served.connection()
        try:
            for i in range(per_client):
                name, args = OFFICEJS_CASES[(k + i) % len(OFFICEJS_CASES)]
                started = time.perf_counter()
                try:
                    result = post_call(conn, name, args)
                except (OSError, AssertionError, http.client.HTTPException) as error:
                    with lock:
                        failures.append(repr(error))
                    conn.close()
                    conn = served.connection()
                    continue
                took = time.perf_counter() - started
                with lock:
                    latencies.append(took)
                    if result != expected(name, args):
                        wrong.append((name, result))
        finally:
            conn.close()

    threads = [threading.Thread(target=client, args=(k,)) for k in range(BURST_CLIENTS)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=REQUEST_SECONDS * per_client)
    elapsed = time.perf_counter() - started
    assert not any(t.is_alive() for t in threads)
    assert failures == [] and wrong == []
    assert len(latencies) == BURST_CALLS
    latencies.sort()
    p50, p99 = latencies[len(latencies) // 2], latencies[int(len(latencies) * 0.99) - 1]
    # a figure for the record, not an assertion (no timed assertions in tests)
    print(f"\n{BURST_CALLS} calls from {BURST_CLIENTS} clients: {BURST_CALLS / elapsed:.0f} calls/s, "
          f"p50 {p50 * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms")


# --- what a bureau gets wrong when starting the server ------------------------------


def serve(*options: str) -> int:
    return cli.main(["serve", *options])


def test_a_port_in_use_is_named(capsys):
    with socket.socket() as taken:
        taken.bind((HOST, 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert serve("--port", str(port)) == cli.EXIT_USAGE
    assert f"端口 {port} 已被占用" in capsys.readouterr().err


@pytest.mark.parametrize("options, message", [
    (["--ssl-certfile", "证书.pem"], "须同时给出"),
    (["--ssl-certfile", "无此证书.pem", "--ssl-keyfile", "无此私钥.pem"], "指定的文件不存在：无此证书.pem"),
    (["--hostname", "https://jixiao.czj.example"], "不写 https://"),
    (["--workers", "0"], "--workers 至少为 1"),
    (["--host", "no-such-host.invalid"], "--host 不是本机的地址或无法解析"),
])
def test_a_bad_option_is_explained(options, message, capsys):
    assert serve("--port", str(free_port()), *options) == cli.EXIT_USAGE
    assert message in capsys.readouterr().err


def test_a_file_that_is_no_certificate_is_refused(tmp_path, capsys):
    cert, key = tmp_path / "证书.pem", tmp_path / "私钥.pem"
    cert.write_text("不是证书", encoding="utf-8")
    key.write_text("不是私钥", encoding="utf-8")
    assert serve("--port", str(free_port()), "--ssl-certfile", str(cert), "--ssl-keyfile", str(key)) == cli.EXIT_USAGE
    assert "无法使用证书" in capsys.readouterr().err


def test_a_port_out_of_range_is_a_chinese_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_:
        serve("--port", "70000")
    assert exit_.value.code == cli.EXIT_USAGE
    assert "端口应在 1–65535 之间" in capsys.readouterr().err


def test_without_the_extra_serve_says_how_to_install_it(monkeypatch, capsys):
    def not_installed(name):
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(server.metadata, "version", not_installed)
    assert serve("--port", str(free_port())) == cli.EXIT_USAGE
    assert 'pip install ".[server]"' in capsys.readouterr().err


def test_importing_the_functions_or_the_command_line_stays_light():
    probe = (
        "import sys, udfs, xladdin.cli, xladdin.server\n"
        "heavy = {'xlwings_server', 'fastapi', 'uvicorn', 'xlwings', 'pandas', 'numpy'}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "[]"
