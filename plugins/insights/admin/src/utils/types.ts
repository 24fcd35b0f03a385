/** The dashboard API's answer (server/src/controllers/insights.ts `dashboard`). */
export const STAGES = ['impressions', 'clicks', 'visitors', 'interacting', 'leads', 'inquiries', 'deals'] as const;
export type Stage = (typeof STAGES)[number];
export interface Totals { visitors: number; interacting: number; leads: number; inquiries: number; deals: number; revenue: number }
export interface StageCheck { stage: Stage; rate: number | null; baselineRate: number | null; lostDeals: number; cost: number }
export interface Share { source: string; medium: string; campaign: string; count: number; value: number; share: number }
export interface Dashboard {
  timezone: string;
  funnel: { counts: Record<Stage, number | null> & { revenue: number; spend: number | null }; rates: Partial<Record<Stage, number | null>>; endToEnd: number | null; roi: number | null };
  alert: { baseline: { from: string; to: string }; stages: StageCheck[]; weakest: StageCheck | null };
  trend: Array<Totals & { day: string }>;
  bySource: Array<Totals & { source: string }>;
  byCountry: Array<Totals & { country: string }>;
  byDevice: Array<Totals & { device: string }>;
  sources: { firstTouch: Record<'leads' | 'inquiries' | 'revenue', Share[]>; lastTouch: Record<'leads' | 'inquiries' | 'revenue', Share[]> };
  seasonality: {
    months: Array<{ month: number; byCustomers: Array<{ country: string; customers: number; gmv: number }>; byGmv: Array<{ country: string; customers: number; gmv: number }> }>;
    heatmap: Array<{ month: number; country: string; customers: number; gmv: number }>;
  };
  questions: {
    products: Array<{ key: string; title: string; inquiries: number; faqEditor: string }>;
    questions: Array<{ question: string; count: number; productKey: string | null; countries: Record<string, number>; languages: Record<string, number>; hasFaq: boolean; faqEditor: string | null }>;
  };
}
