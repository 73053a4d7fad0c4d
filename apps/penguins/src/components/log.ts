/** A progress logger: one line on stdout per event, prefixed with the component name. */
export type Log = (message: string) => void;

/** Returns the logger of `component`. */
export function componentLog(component: string): Log {
  return (message) => console.log(`[${component}] ${message}`);
}
