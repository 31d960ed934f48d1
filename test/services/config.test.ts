import { describe, expect, it } from "vitest";
import { ConfigError, configFromArgs, DEFAULT_CONFIG, resolveConfig } from "../../services/soda/config.js";

describe("service configuration", () => {
  it("defaults, frozen", () => {
    const c = resolveConfig();
    expect(c).toEqual(DEFAULT_CONFIG);
    expect(Object.isFrozen(c)).toBe(true);
    expect(c).toMatchObject({
      host: "127.0.0.1",
      port: 8080,
      dataDir: "./data",
      bodyLimit: 10 * 1024 * 1024,
    });
  });

  it("reads SODA_* variables; flags win over them", () => {
    const env = {
      SODA_PORT: "9000",
      SODA_HOST: "0.0.0.0",
      SODA_DATA_DIR: "/d",
      SODA_API_KEY: "long-enough-key",
    };
    expect(resolveConfig({}, env)).toMatchObject({
      port: 9000,
      host: "0.0.0.0",
      dataDir: "/d",
      apiKey: "long-enough-key",
    });
    expect(configFromArgs(["--port", "9100", "--data-dir", "/x", "--no-samples"], env)).toMatchObject({
      port: 9100,
      host: "0.0.0.0",
      dataDir: "/x",
      samples: false,
    });
  });

  it.each([
    [{ SODA_PORT: "80a" }, /SODA_PORT must be an integer from 0 to 65535/],
    [{ SODA_PORT: "70000" }, /SODA_PORT/],
    [{ SODA_BODY_LIMIT: "-1" }, /SODA_BODY_LIMIT/],
    [{ SODA_API_KEY: "short" }, /at least 8/],
    [{ SODA_LOG_LEVEL: "loud" }, /SODA_LOG_LEVEL must be one of/],
    [{ SODA_SAMPLES: "maybe" }, /SODA_SAMPLES must be true or false/],
  ])("rejects %j with a message naming the setting", (env, message) => {
    expect(() => resolveConfig({}, env)).toThrow(ConfigError);
    expect(() => resolveConfig({}, env)).toThrow(message);
  });

  it("rejects unknown flags", () => {
    expect(() => configFromArgs(["--prot", "1"], {})).toThrow(ConfigError);
  });
});
