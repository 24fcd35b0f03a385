import { DEFAULT_RENDER_SETTINGS, type RenderSettings, renderSettingsProblems } from './render/settings';

export interface LifecycleEmailConfig {
  /** where mail goes: "outbox" (default: .eml files, no SMTP server needed) or "smtp" */
  transport: 'outbox' | 'smtp';
  from: string;
  /** domain for Message-IDs */
  domain: string;
  outboxDir: string;
  smtp: { host: string; port: number; secure: boolean; user?: string; pass?: string };
  /** template compile limits, worker pool and cache sizes (see render/settings.ts) */
  render: Partial<RenderSettings>;
}

export default {
  default: (): LifecycleEmailConfig => ({
    transport: 'outbox',
    from: 'Moat <hello@moat.local>',
    domain: 'moat.local',
    outboxDir: '.tmp/outbox',
    smtp: { host: '', port: 587, secure: false },
    render: { ...DEFAULT_RENDER_SETTINGS },
  }),
  /** Checked at boot: a wrong transport setting stops the start with a clear message. */
  validator(config: LifecycleEmailConfig) {
    if (config.transport !== 'outbox' && config.transport !== 'smtp') {
      throw new Error(`lifecycle-email: transport must be "outbox" or "smtp", got "${config.transport}" (MOAT_EMAIL_TRANSPORT)`);
    }
    if (config.transport === 'smtp' && !config.smtp?.host) {
      throw new Error('lifecycle-email: transport "smtp" needs SMTP_HOST');
    }
    const problems = renderSettingsProblems(config.render);
    if (problems.length > 0) throw new Error(`lifecycle-email: ${problems.join('; ')}`);
  },
};
