#!/usr/bin/env python3
"""tests/bench/lsp-latency.py: the time from a didChange to the
publishDiagnostics that has the error it made, as an editor sees it
(docs/lsp.md, "Latency"). drover-lsp with its default options checks
ide-demo/examples/sample.proof, then a step of `fib_small` is broken N times
(a new wrong value each time, so that no remembered verdict answers), and
the same with a small .v (a statement made false each time). Prints min,
median and max per language. Not a test: run it after a build, on a quiet
machine.
    BUILD_DIR   the build (default: build beside this checkout)
    ROUNDS      how many edits per language (default 20)
    EDIT_PAUSE  drover-lsp's --edit-pause in ms (default: its own, 250)
"""
import json, os, select, statistics, subprocess, sys, tempfile, time

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.normpath(os.path.join(here, '..', '..'))
build = os.environ.get('BUILD_DIR', os.path.join(root, 'build'))
rounds = int(os.environ.get('ROUNDS', '20'))


class Client:
    def __init__(self):
        pause = ['--edit-pause', os.environ['EDIT_PAUSE']] if 'EDIT_PAUSE' in os.environ else []
        self.p = subprocess.Popen([os.path.join(build, 'bin', 'drover-lsp')] + pause,
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.next_id = 1

    def send(self, message):
        body = json.dumps(dict(message, jsonrpc='2.0')).encode()
        self.p.stdin.write(b'Content-Length: %d\r\n\r\n%s' % (len(body), body))
        self.p.stdin.flush()

    def read(self, timeout):
        if not select.select([self.p.stdout], [], [], timeout)[0]:
            raise TimeoutError('nothing from drover-lsp in %s s' % timeout)
        header = b''
        while not header.endswith(b'\r\n\r\n'):
            header += self.p.stdout.read(1)
        return json.loads(self.p.stdout.read(int(header.split(b':')[1])))

    def call(self, method, params):
        self.send({'id': self.next_id, 'method': method, 'params': params})
        self.next_id += 1
        while True:
            message = self.read(120)
            if message.get('id') == self.next_id - 1 and 'method' not in message:
                return message

    def wait_publish(self, uri, version, predicate):
        while True:
            m = self.read(120)
            p = m.get('params', {})
            if (m.get('method') == 'textDocument/publishDiagnostics' and p.get('uri') == uri
                    and p.get('version') == version and predicate(p['diagnostics'])):
                return

    def close(self):
        self.call('shutdown', None)
        self.send({'method': 'exit'})
        self.p.wait(60)


def line_of(text, needle):
    return text.split('\n').index(next(l for l in text.split('\n') if needle in l))


def measure(uri, text, needle, make_wrong):
    """Opens text, then breaks the line holding needle `rounds` times."""
    c = Client()
    c.call('initialize', {'capabilities': {}})
    c.send({'method': 'initialized', 'params': {}})
    c.send({'method': 'textDocument/didOpen',
            'params': {'textDocument': {'uri': uri, 'languageId': '', 'version': 1, 'text': text}}})
    c.call('workspace/executeCommand', {'command': 'drover.waitSettled', 'arguments': [uri]})
    line = line_of(text, needle)
    original = text.split('\n')[line]
    times = []
    version = 1
    for i in range(rounds):
        c.call('workspace/executeCommand', {'command': 'drover.waitSettled', 'arguments': [uri]})
        version += 1
        wrong = make_wrong(original, i)
        change = {'range': {'start': {'line': line, 'character': 0},
                            'end': {'line': line, 'character': len(original.encode('utf-16-le')) // 2}},
                  'text': wrong}
        start = time.monotonic()
        c.send({'method': 'textDocument/didChange',
                'params': {'textDocument': {'uri': uri, 'version': version}, 'contentChanges': [change]}})
        # The error is on the line changed (proof) or the next (Coq: the
        # proof of the statement made false).
        c.wait_publish(uri, version, lambda ds: any(d['range']['start']['line'] in (line, line + 1)
                                                    and d['severity'] == 1 for d in ds))
        times.append((time.monotonic() - start) * 1000)
        original = wrong
    c.close()
    return times


def report(name, times):
    print('%-6s %3d edits: min %4.0f ms, median %4.0f ms, max %4.0f ms'
          % (name, len(times), min(times), statistics.median(times), max(times)), flush=True)


with open(os.path.join(root, 'ide-demo', 'examples', 'sample.proof')) as f:
    sample = f.read()
report('proof', measure('file:///tmp/drover-lsp-latency.proof', sample, 'fib 20 = 6765',
                        lambda line, i: '  fib 20 = %d.' % (6766 + i)))

coq = ''.join('Lemma l%d : %d + %d = %d.\nProof. reflexivity. Qed.\n' % (i, i, i, 2 * i) for i in range(30))
coq += 'Lemma target : 2 + 2 = 4.\nProof. reflexivity. Qed.\n'
with tempfile.TemporaryDirectory() as directory:
    path = os.path.join(directory, 'doc.v')
    with open(path, 'w') as f:
        f.write(coq)
    try:
        report('coq', measure('file://' + path, coq, 'Lemma target',
                              lambda line, i: 'Lemma target : 2 + 2 = %d.' % (5 + i)))
    except (TimeoutError, FileNotFoundError) as e:
        print('coq: not measured (%s)' % e, file=sys.stderr)
