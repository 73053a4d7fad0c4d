import { describe, expect, it } from 'vitest';
import { parseEnv } from './config.ts';

describe('emulator config', () => {
  it('has defaults matching the local stack', () => {
    const config = parseEnv({});
    expect(config).toMatchObject({
      CONVEYOR_EMULATOR_PORT: 8090,
      CONVEYOR_EMULATOR_ADMIN_PORT: 8091,
      CONVEYOR_STORAGE_ENDPOINT: 'http://127.0.0.1:4443',
      GOOGLE_CLOUD_PROJECT: 'conveyor-local',
      CONVEYOR_EMULATOR_FAULTS: {},
      CONVEYOR_EMULATOR_PERSIST: true,
    });
    expect(config.dataDir).toMatch(/\.data\/emulator$/);
    expect(config.cacheDir).toMatch(/\.cache\/conveyor$/);
  });

  it('takes the per-machine cache from CONVEYOR_CACHE_DIR, else XDG_CACHE_HOME', () => {
    expect(parseEnv({ CONVEYOR_CACHE_DIR: '/var/cache/c' }).cacheDir).toBe('/var/cache/c');
    expect(parseEnv({ XDG_CACHE_HOME: '/x' }).cacheDir).toBe('/x/conveyor');
  });

  it('parses fault rules from JSON', () => {
    const config = parseEnv({
      CONVEYOR_EMULATOR_FAULTS: '{"CloudBuild/CreateBuild":{"code":"UNAVAILABLE","probability":0.2}}',
      CONVEYOR_EMULATOR_PERSIST: 'false',
    });
    expect(config.CONVEYOR_EMULATOR_FAULTS).toEqual({
      'CloudBuild/CreateBuild': { code: 'UNAVAILABLE', probability: 0.2 },
    });
    expect(config.CONVEYOR_EMULATOR_PERSIST).toBe(false);
  });

  it('reports every problem at once, each naming its variable', () => {
    expect(() =>
      parseEnv({
        CONVEYOR_EMULATOR_PORT: 'abc',
        CONVEYOR_STORAGE_ENDPOINT: 'not a url',
        CONVEYOR_EMULATOR_FAULTS: '{"*":{"probability":3}}',
      }),
    ).toThrow(/CONVEYOR_EMULATOR_PORT[\s\S]*CONVEYOR_STORAGE_ENDPOINT[\s\S]*CONVEYOR_EMULATOR_FAULTS/);
  });

  it('binds loopback unless told otherwise (containers set CONVEYOR_EMULATOR_HOST=0.0.0.0)', () => {
    expect(parseEnv({}).CONVEYOR_EMULATOR_HOST).toBe('127.0.0.1');
    expect(parseEnv({ CONVEYOR_EMULATOR_HOST: '0.0.0.0' }).CONVEYOR_EMULATOR_HOST).toBe('0.0.0.0');
  });
});
