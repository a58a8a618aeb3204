// The shape reports read: a check's result with its items, whether it comes from a run in memory
// (CLI) or from the database (pages, downloads).
export interface ReportItem {
  status: string;
  cluster?: string;
  node?: string;
  label: string;
  group?: string;
  detail?: string;
  fix?: string;
  data?: Record<string, unknown> | null | unknown;
}

export interface ReportCheck {
  checkId: string;
  section: string;
  title: string;
  status: string;
  summary: string;
  problem?: string | null;
  solution?: string | null;
  items: ReportItem[];
}

export function field(i: ReportItem, name: string): string {
  const d = i.data as Record<string, unknown> | null | undefined;
  const v = d?.[name];
  return v === null || v === undefined ? '' : String(v);
}
