import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnServer } from './processes.ts';

/**
 * The static baseline every endpoint is compared with: the same response bytes served as a file,
 * by nginx (one worker, like the app's one Node thread) when it is on PATH, else by a minimal
 * node:http server in its own process.
 */
export interface Baseline {
  kind: 'nginx' | 'node-static';
  description: string;
  port: number;
  child: ChildProcess;
  /** URL path of the file holding `name`'s bytes. */
  pathOf(name: string): string;
  stop(): Promise<void>;
}

function nginxOnPath(): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' });
  const path = found.stdout.trim();
  return found.status === 0 && path ? path : undefined;
}

function nginxConf(root: string, www: string, port: number) {
  return `worker_processes 1;
daemon off;
master_process on;
pid ${root}/nginx.pid;
error_log ${root}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nodelay on;
  keepalive_timeout 65s;
  keepalive_requests 1000000;
  client_body_temp_path ${root}/tmp/body;
  proxy_temp_path ${root}/tmp/proxy;
  fastcgi_temp_path ${root}/tmp/fastcgi;
  uwsgi_temp_path ${root}/tmp/uwsgi;
  scgi_temp_path ${root}/tmp/scgi;
  types { application/json json; }
  default_type application/json;
  server {
    listen 127.0.0.1:${port};
    root ${www};
    location / { try_files $uri =404; }
  }
}
`;
}

/**
 * Write one file per endpoint (`files`: name → body) under `root`/www and serve them on `port`.
 * `preferNginx: false` forces the node:http fallback.
 */
export async function startBaseline(opts: {
  root: string;
  port: number;
  files: ReadonlyMap<string, Buffer>;
  preferNginx: boolean;
  say: (msg: string) => void;
}): Promise<Baseline> {
  const www = join(opts.root, 'www');
  mkdirSync(join(opts.root, 'tmp'), { recursive: true });
  mkdirSync(www, { recursive: true });
  // nginx started by root serves as `nobody`: the folders must be readable by others.
  for (const d of [opts.root, www]) chmodSync(d, 0o755);
  for (const [name, body] of opts.files) writeFileSync(join(www, `${name}.json`), body, { mode: 0o644 });
  const pathOf = (name: string) => `/${name}.json`;

  const nginx = opts.preferNginx ? nginxOnPath() : undefined;
  if (nginx) {
    const conf = join(opts.root, 'nginx.conf');
    writeFileSync(conf, nginxConf(opts.root, www, opts.port));
    const check = spawnSync(
      nginx,
      ['-t', '-q', '-p', opts.root, '-e', join(opts.root, 'error.log'), '-c', conf],
      {
        encoding: 'utf8',
      },
    );
    if (check.status === 0) {
      const child = spawn(nginx, ['-p', opts.root, '-e', join(opts.root, 'error.log'), '-c', conf], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      const server = await spawnServer(
        child,
        opts.port,
        pathOf(opts.files.keys().next().value ?? ''),
        'nginx',
      );
      return {
        kind: 'nginx',
        description: `nginx ${nginxVersion(nginx)} (1 worker, sendfile, keep-alive), same bytes as a static file`,
        port: opts.port,
        child,
        pathOf,
        stop: server.stop,
      };
    }
    opts.say(`nginx is on PATH but its config test failed; using the node:http baseline:\n${check.stderr}`);
  }
  const child = spawn(
    process.execPath,
    [join(import.meta.dirname, 'static-server.ts'), www, String(opts.port)],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  const server = await spawnServer(
    child,
    opts.port,
    pathOf(opts.files.keys().next().value ?? ''),
    'static server',
  );
  return {
    kind: 'node-static',
    description: `node:http ${process.version} serving the same bytes from memory (${
      opts.preferNginx ? 'nginx not usable' : '--node-baseline'
    })`,
    port: opts.port,
    child,
    pathOf,
    stop: server.stop,
  };
}

function nginxVersion(nginx: string): string {
  const out = spawnSync(nginx, ['-v'], { encoding: 'utf8' });
  return (out.stderr.match(/nginx\/(\S+)/)?.[1] ?? '').trim();
}
