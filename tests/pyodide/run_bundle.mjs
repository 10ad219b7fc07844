// Runs the xlwings Lite bundle (main.py) under Pyodide in Node.js, the runtime xlwings Lite uses.
//
//   node run_bundle.mjs MAIN_PY [CASES_JSON]
//
// CASES_JSON is a JSON list of [function name, [arguments...]]; without it (or with "-") it is
// read from standard input. Pyodide is loaded from this folder's node_modules (`npm ci` here),
// so nothing is fetched over the network: the npm package ships the interpreter and stdlib.
// A stand-in `xlwings` module, whose decorators only record metadata, stands for the real one.
// Prints one JSON object to stdout:
//   {"python": ..., "pyodide": ..., "results": [...], "recorded": {name: {"options", "args"}}}
// Anything the bundle prints goes to stderr. A Python error exits with status 1.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadPyodide, version } from "pyodide";

// The same stand-in as STAND_IN in tests/test_setting_up_excel.py.
const STAND_IN = `
recorded = {}
def func(f=None, **options):
    def inner(f):
        recorded.setdefault(f.__name__, {"args": {}})["options"] = options
        f.__xlfunc__ = recorded[f.__name__]
        return f
    return inner if f is None else inner(f)
def arg(name, convert=None, **options):
    def inner(f):
        recorded.setdefault(f.__name__, {"args": {}})["args"][name] = options
        return f
    return inner
def ret(*args, **options):
    return lambda f: f
`;

const RUN = `
import json, sys
sys.path.insert(0, "/bundle")
import main, xlwings
cases = json.loads(open("/bundle/cases.json", encoding="utf-8").read())
json.dumps({
    "python": sys.version.split()[0],
    "results": [getattr(main, name)(*args) for name, args in cases],
    "recorded": xlwings.recorded,
}, ensure_ascii=False)
`;

function usage(message) {
  process.stderr.write(`${message}\nusage: node run_bundle.mjs MAIN_PY [CASES_JSON|-]\n`);
  process.exit(2);
}

const [mainPath, casesArg] = process.argv.slice(2);
if (!mainPath) usage("missing the path of main.py");
const mainSource = readFileSync(mainPath, "utf-8");
const casesText = casesArg && casesArg !== "-" ? casesArg : readFileSync(0, "utf-8");
try {
  if (!Array.isArray(JSON.parse(casesText))) usage("the cases must be a JSON list");
} catch (error) {
  if (error instanceof SyntaxError) usage(`the cases are not JSON: ${error.message}`);
  throw error;
}

const here = dirname(fileURLToPath(import.meta.url));
const toStderr = (line) => process.stderr.write(`${line}\n`);
const pyodide = await loadPyodide({
  indexURL: join(here, "node_modules", "pyodide") + "/",
  stdout: toStderr,
  stderr: toStderr,
});

pyodide.FS.mkdirTree("/bundle");
pyodide.FS.writeFile("/bundle/xlwings.py", STAND_IN, { encoding: "utf8" });
pyodide.FS.writeFile("/bundle/main.py", mainSource, { encoding: "utf8" });
pyodide.FS.writeFile("/bundle/cases.json", casesText, { encoding: "utf8" });

let output;
try {
  output = JSON.parse(pyodide.runPython(RUN));
} catch (error) {
  // A PythonError's message is the full traceback.
  process.stderr.write(`${error.message ?? error}\n`);
  process.exit(1);
}
output.pyodide = version;
process.stdout.write(`${JSON.stringify(output)}\n`);
