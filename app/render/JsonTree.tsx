// application/json outputs as a collapsible, pretty-printed tree. Built from
// <details>, so it collapses without JavaScript and renders the same on a server.
import type { JSX } from 'react';

const OPEN_DEPTH = 2;

/** A JSON value as a tree; objects and arrays deeper than two levels start collapsed. */
export function JsonTree(props: { value: unknown }): JSX.Element {
  return (
    <div className="output-json" data-testid="output-json">
      <JsonNode value={props.value} depth={0} />
    </div>
  );
}

function JsonNode({ value, depth, name }: { value: unknown; depth: number; name?: string }): JSX.Element {
  const label = name === undefined ? null : <span className="json-key">{JSON.stringify(name)}: </span>;
  if (value === null || typeof value !== 'object') {
    return (
      <div className="json-leaf">
        {label}
        <span className={`json-${value === null ? 'null' : typeof value}`}>{JSON.stringify(value) ?? String(value)}</span>
      </div>
    );
  }
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((item, index) => [String(index), item])
    : Object.entries(value as Record<string, unknown>);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0) {
    return (
      <div className="json-leaf">
        {label}
        {open + close}
      </div>
    );
  }
  const count = Array.isArray(value) ? `${entries.length} items` : `${entries.length} keys`;
  return (
    <details className="json-node" open={depth < OPEN_DEPTH}>
      <summary>
        {label}
        {open}
        <span className="json-count"> {count} </span>
      </summary>
      <div className="json-children">
        {entries.map(([key, child]) => (
          <JsonNode key={key} value={child} depth={depth + 1} name={Array.isArray(value) ? undefined : key} />
        ))}
      </div>
      <div>{close}</div>
    </details>
  );
}
