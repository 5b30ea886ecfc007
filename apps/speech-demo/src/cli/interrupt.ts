/**
 * Ctrl-C during training: the first SIGINT aborts a signal (fit stops after the batch in flight and writes a
 * checkpoint); a second one exits at once with status 130. Either way the terminal cursor, hidden by the
 * progress bar, is shown again. A SIGINT within half a second of the first is the same Ctrl-C arriving twice
 * (the terminal signals the launcher's whole process group, and the launcher forwards it too), so it is ignored.
 */

/** SIGINTs closer than this to the first one count as the same key press. */
const SAME_PRESS_MS = 500;

/** Shows the cursor again (the escape progress bars use to hide it is `ESC[?25l`). */
export function showCursor(): void {
  if (process.stderr.isTTY) process.stderr.write("\u001b[?25h");
}

/**
 * Listens for SIGINT until `dispose()`.
 * @param onFirst called on the first Ctrl-C (stop the bar, say what happens next).
 */
export function listenForInterrupt(onFirst: () => void): { readonly signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  let first = 0;
  const handler = () => {
    if (controller.signal.aborted) {
      if (performance.now() - first < SAME_PRESS_MS) return;
      showCursor();
      process.exit(130);
    }
    first = performance.now();
    controller.abort();
    onFirst();
  };
  process.on("SIGINT", handler);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off("SIGINT", handler);
    },
  };
}

/** A command line as one shell-pasteable string (arguments with spaces or quotes are single-quoted). */
export function shellLine(args: readonly string[]): string {
  return args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`)).join(" ");
}
