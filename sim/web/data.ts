// What `vmsim explore` embeds in the page (a JSON script element, so the page needs nothing from
// disk or the network): the shipped scenarios as text and the reference data they compare against.
// The one module of the page that the CLI imports (for this type only).

/** The id of the <script type="application/json"> element that holds the data. */
export const DATA_ELEMENT = 'vmsim-data';

export interface ShippedText {
  /** The shipped name (`vmsim run NAME`). */
  name: string;
  kind: string;
  description: string;
  /** Where it lives in the package, e.g. scenarios/migration/stop-and-copy.yaml. */
  path: string;
  text: string;
}

export interface ExplorerData {
  version: string;
  scenarios: ShippedText[];
  /** Reference files by the name a scenario's `reproduce.reference` gives (isr-2005.json). */
  references: Record<string, unknown>;
}
