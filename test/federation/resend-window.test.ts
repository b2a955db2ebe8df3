import { describe, expect, it } from 'vitest';
import { environmentLayer, resolveConfig } from '../../src/config/node-config.js';

describe('federation.resendWindow', () => {
  it('looks back 60 seconds unless the node says otherwise, from a file or the environment', () => {
    expect(resolveConfig([]).federation.resendWindowSeconds).toBe(60);
    expect(resolveConfig([{ source: 'entente.yaml', values: { federation: { resendWindow: 300 } } }]).federation.resendWindowSeconds).toBe(300);
    expect(resolveConfig([{ source: 'environment', values: environmentLayer({ ENTENTE_RESEND_WINDOW: '15' }) }]).federation.resendWindowSeconds).toBe(15);
  });

  it('refuses a window that is not a whole number of seconds from 1 to a day, naming the setting and where it came from', () => {
    for (const bad of [0, 86_401, 1.5, 'a minute']) {
      expect(() => resolveConfig([{ source: 'entente.yaml', values: { federation: { resendWindow: bad } } }]))
        .toThrow(expect.objectContaining({ code: 'ENTENTE_CONFIG_INVALID', message: expect.stringMatching(/federation\.resendWindow \(from entente\.yaml\)/) }));
    }
  });
});
