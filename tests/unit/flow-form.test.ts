/**
 * The flow editor's form model (plugins/lifecycle-email/admin/src/utils/flow-form.ts): every
 * prebuilt flow survives definition → form → definition unchanged, branch targets follow their
 * steps when steps move, and the server's problems land at the step they name.
 */
import { describe, expect, it } from 'vitest';
import { definitionOf, emptyForm, END, formOf, newStep, problemsByStep, problemsOf } from '../../plugins/lifecycle-email/admin/src/utils/flow-form';
import { parseDefinition } from '../../plugins/lifecycle-email/server/src/flows/definition';
import { PREBUILT_FLOWS } from '../../plugins/lifecycle-email/server/src/flows/prebuilt';

describe('flow editor form', () => {
  it.each(PREBUILT_FLOWS.map((f) => [f.key, f] as const))('%s: definition → form → definition is unchanged', (_key, flow) => {
    const parsed = parseDefinition(flow.definition);
    if (!parsed.ok) throw new Error(parsed.problems.join('; '));
    // goals in any order: any one of them ends the enrollment
    const byGoals = (d: any) => ({ ...d, goals: [...d.goals].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))) });
    expect(byGoals(definitionOf(formOf(flow.name, parsed.definition)))).toEqual(byGoals(parsed.definition));
  });

  it('keeps a branch aimed at the same step when steps are reordered, and the end at the end', () => {
    const form = emptyForm();
    const send = { ...form.steps[0], template: 'Welcome' } as ReturnType<typeof newStep>;
    const wait = newStep('wait');
    const exit = newStep('exit');
    const branch = { ...newStep('branch'), whenTrue: exit.id, whenFalse: END } as ReturnType<typeof newStep>;
    form.trigger = { on: 'event', events: ['signup'], condition: { kind: 'none' } };
    form.steps = [branch, send, wait, exit];
    expect((definitionOf(form) as any).steps[0]).toMatchObject({ type: 'branch', whenTrue: 3, whenFalse: 4 });
    form.steps = [branch, exit, send, wait];
    const moved = definitionOf(form) as any;
    expect(moved.steps[0]).toMatchObject({ whenTrue: 1, whenFalse: 4 });
    expect(parseDefinition(moved).ok).toBe(true);
  });

  it('sends typed numbers as numbers and leaves out empty fields', () => {
    const form = emptyForm();
    form.trigger = { on: 'date', field: 'lastOrderAt', afterDays: '90', minYears: '', condition: { kind: 'field', field: 'ordersCount', op: 'gte', value: '2' } };
    form.steps = [{ ...newStep('wait'), days: '', hours: '4', minutes: '' } as ReturnType<typeof newStep>, { ...newStep('send'), template: 'Win-back' } as ReturnType<typeof newStep>];
    form.reentry = { mode: 'after', days: '30' };
    expect(definitionOf(form)).toEqual({
      trigger: { on: 'date', field: 'lastOrderAt', afterDays: 90, if: { field: 'ordersCount', op: 'gte', value: 2 } },
      steps: [{ type: 'wait', hours: 4 }, { type: 'send', template: 'Win-back', kind: 'marketing' }],
      goals: [],
      reentry: { mode: 'after', days: 30 },
    });
  });

  it("sorts the server's problems by the step they name", () => {
    const refused = { response: { data: { error: { message: 'definition: …', details: { problems: ['steps[1].template: Required', 'trigger.events: Too small', 'steps[1].kind: Invalid'] } } } } };
    const { steps, general } = problemsByStep(problemsOf(refused));
    expect(steps.get(1)).toEqual(['steps[1].template: Required', 'steps[1].kind: Invalid']);
    expect(general).toEqual(['trigger.events: Too small']);
    expect(problemsOf({ response: { data: { error: { message: 'name: 1-200 characters' } } } })).toEqual(['name: 1-200 characters']);
  });
});
