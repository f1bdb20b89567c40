// The one error type the nbformat layer throws for a file a user gave it.
// `problems` lists every problem found; the message shows the first few, so a
// UI can show the message as is and offer the full list on demand.

const SHOWN_PROBLEMS = 5;

export class NotebookFormatError extends Error {
  readonly problems: string[];

  constructor(problems: string[], summary = 'This file is not a valid Jupyter notebook') {
    const shown = problems.slice(0, SHOWN_PROBLEMS).map((p) => `\n  - ${p}`).join('');
    const more = problems.length > SHOWN_PROBLEMS ? `\n  … and ${problems.length - SHOWN_PROBLEMS} more` : '';
    super(`${summary}:${shown}${more}`);
    this.name = 'NotebookFormatError';
    this.problems = problems;
  }
}
