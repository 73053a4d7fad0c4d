/** What the local image store keeps of a Dockerfile: the runtime config, not the filesystem steps. */
export interface DockerfileConfig {
  /** Base image of the last stage (informational). */
  from: string;
  /** Last WORKDIR (absolute in the container); the snapshot directory stands in for it. */
  workdir: string;
  entrypoint: string[];
  cmd: string[];
  env: Record<string, string>;
  /** COPY / ADD instructions of the last stage (from the build context), in order. */
  copies: DockerCopy[];
  /** Instructions the local store cannot honour (RUN, …), reported as warnings in the build log. */
  ignored: string[];
}

/** One `COPY src... dest` from the build context. */
export interface DockerCopy {
  sources: string[];
  /** Destination as written. */
  dest: string;
  /** WORKDIR in force at this instruction (relative destinations resolve against it). */
  workdir: string;
}

/** Parses a Dockerfile's runtime config (last stage only). Line continuations and comments handled. */
export function parseDockerfile(text: string): DockerfileConfig {
  const config: DockerfileConfig = {
    from: '',
    workdir: '/',
    entrypoint: [],
    cmd: [],
    env: {},
    copies: [],
    ignored: [],
  };
  const lines = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  for (const raw of lines) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const match = /^(\S+)\s*(.*)$/.exec(line);
    if (!match) continue;
    const instruction = (match[1] ?? '').toUpperCase();
    const rest = (match[2] ?? '').trim();
    switch (instruction) {
      case 'FROM':
        // A new stage starts from scratch in Docker too.
        Object.assign(config, {
          from: rest.split(/\s+/)[0] ?? '',
          workdir: '/',
          entrypoint: [],
          cmd: [],
          env: {},
          copies: [],
        });
        break;
      case 'WORKDIR':
        config.workdir = rest.startsWith('/') ? rest : `${config.workdir.replace(/\/$/, '')}/${rest}`;
        break;
      case 'ENTRYPOINT':
        config.entrypoint = parseCommand(rest);
        // Docker resets CMD inherited from the base when ENTRYPOINT is set.
        config.cmd = [];
        break;
      case 'CMD':
        config.cmd = parseCommand(rest);
        break;
      case 'ENV':
        Object.assign(config.env, parseEnv(rest));
        break;
      case 'COPY':
      case 'ADD': {
        const copy = parseCopy(rest, config.workdir);
        if (copy) config.copies.push(copy);
        else config.ignored.push(line);
        break;
      }
      case 'ARG':
      case 'LABEL':
      case 'EXPOSE':
      case 'USER':
        break;
      default:
        config.ignored.push(line);
    }
  }
  return config;
}

/** Exec form (`["a","b"]`) as given; shell form as `['/bin/sh', '-c', text]`. */
function parseCommand(rest: string): string[] {
  if (rest.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(rest);
      if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) return parsed;
    } catch {
      // Docker also falls back to shell form when the JSON is invalid.
    }
  }
  return rest ? ['/bin/sh', '-c', rest] : [];
}

/** `ENV A=1 B="two words"` or legacy `ENV A value with spaces`. */
function parseEnv(rest: string): Record<string, string> {
  const env: Record<string, string> = {};
  if (!/^[^\s=]+=/.test(rest)) {
    const [key, ...value] = rest.split(/\s+/);
    if (key) env[key] = value.join(' ');
    return env;
  }
  const re = /([^\s=]+)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g;
  for (const m of rest.matchAll(re)) {
    const value = m[2] ?? '';
    env[m[1] ?? ''] = value.startsWith('"')
      ? value.slice(1, -1).replace(/\\(.)/g, '$1')
      : value.replace(/^'|'$/g, '');
  }
  return env;
}

/** `COPY [--chown=..] src... dest` or the JSON form; undefined for `--from=` (another stage or image). */
function parseCopy(rest: string, workdir: string): DockerCopy | undefined {
  let parts: string[];
  const flags = /^((?:--\S+\s+)*)(.*)$/.exec(rest);
  const flagText = flags?.[1] ?? '';
  const body = (flags?.[2] ?? rest).trim();
  if (/--from=/.test(flagText)) return undefined;
  if (body.startsWith('[')) {
    try {
      parts = JSON.parse(body) as string[];
    } catch {
      parts = body.split(/\s+/);
    }
  } else parts = body.split(/\s+/);
  const dest = parts.pop();
  if (!dest || parts.length === 0) return undefined;
  return { sources: parts, dest, workdir };
}
