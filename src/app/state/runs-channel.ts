// Saved-run changes told to this browser's other tabs (BroadcastChannel), so that every tab's runs list
// updates live and a tab saving a run learns at once that another tab deleted it. Storage stays the
// authority: a message that is missed only delays a list update (runs-db.ts refuses the save itself).
import type { RunRecord } from '../../sim/record.ts';

/** One change to the saved runs, made by another tab. */
export type RunsChange =
  | { kind: 'saved'; id: string; status: RunRecord['status'] }
  | { kind: 'renamed'; id: string; name: string }
  | { kind: 'deleted'; id: string }
  /** The tab closed (or reloaded) while saving these runs as running: they are cut short now. */
  | { kind: 'left'; ids: string[] };

/** The channel of the runs store `dbName`; a browser without BroadcastChannel gets a silent one. */
export class RunsChannel {
  private readonly channel?: BroadcastChannel;

  constructor(dbName: string, listener: (change: RunsChange) => void) {
    if (typeof BroadcastChannel === 'undefined') return;
    this.channel = new BroadcastChannel(`${dbName}:runs`);
    this.channel.onmessage = (e: MessageEvent<RunsChange>) => listener(e.data);
  }

  /** Tells the other tabs (a tab does not hear its own messages). */
  post(change: RunsChange): void {
    this.channel?.postMessage(change);
  }

  close(): void {
    this.channel?.close();
  }
}
