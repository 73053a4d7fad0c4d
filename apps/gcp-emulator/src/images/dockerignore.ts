/**
 * A rough `.dockerignore` matcher: `#` comments, `*`, `**`, `?`, leading `/`, trailing `/`, and `!`
 * exceptions (last match wins). A pattern matching a directory excludes everything below it.
 */
export function createDockerignore(text: string): (relPath: string) => boolean {
  const rules = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const negate = line.startsWith('!');
      const pattern = (negate ? line.slice(1) : line).replace(/^\/+|\/+$/g, '').replace(/^\.\//, '');
      return { negate, re: toRegExp(pattern) };
    });
  return (relPath: string): boolean => {
    let ignored = false;
    for (const rule of rules) if (rule.re.test(relPath)) ignored = !rule.negate;
    return ignored;
  };
}

function toRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? '';
    if (c === '*' && pattern[i + 1] === '*') {
      re += '.*';
      i++;
      if (pattern[i + 1] === '/') i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}(/.*)?$`);
}
