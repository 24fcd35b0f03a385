import { describe, expect, it } from 'vitest';
import { headerValue } from '../../transport/mime';
import { backoffMs, classifySmtpError } from '../smtp-errors';

describe('SMTP failures', () => {
  it('5xx replies are permanent; 4xx and connection errors are transient', () => {
    expect(classifySmtpError({ responseCode: 550, response: '550 no such user' })).toMatchObject({ class: 'permanent', code: 550 });
    expect(classifySmtpError({ responseCode: 451, response: '451 try later' })).toMatchObject({ class: 'transient', code: 451 });
    expect(classifySmtpError({ code: 'ECONNECTION', message: 'connect ECONNREFUSED' }).class).toBe('transient');
    expect(classifySmtpError(new Error('socket hang up')).class).toBe('transient');
  });

  it('backs off exponentially with bounded jitter and a cap', () => {
    expect(backoffMs(1, 1000, 3_600_000, () => 0.5)).toBe(1000);
    expect(backoffMs(3, 1000, 3_600_000, () => 0.5)).toBe(4000);
    expect(backoffMs(4, 1000, 3_600_000, () => 0)).toBe(6400);
    expect(backoffMs(30, 1000, 60_000, () => 1)).toBe(72_000);
  });

  it('a header value cannot carry a line break', () => {
    expect(headerValue('Hi Ada\r\nBcc: x@y.z\nX: 1')).toBe('Hi Ada Bcc: x@y.z X: 1');
  });
});
