import { afterEach, describe, expect, it, vi } from "vitest";
import { serveCommand } from "../../services/soda/cli.js";

describe("soda serve", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("prints the usage with --help and exits 0", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    expect(await serveCommand(["--help"], {})).toBe(0);
    expect(log.mock.calls[0][0]).toContain("usage: soda serve");
  });

  it.each([
    [["--port", "http"], "SODA_PORT must be an integer"],
    [["--bogus"], "Unknown option"],
  ])("%j exits 2 with a message and the usage, before listening", async (argv, message) => {
    const err = vi.spyOn(console, "error").mockImplementation(() => {});
    expect(await serveCommand(argv, {})).toBe(2);
    expect(err.mock.calls[0][0]).toContain(message);
    expect(err.mock.calls[0][0]).toContain("usage: soda serve");
  });

  it("falls back to SODA_* variables and validates them", async () => {
    const err = vi.spyOn(console, "error").mockImplementation(() => {});
    expect(await serveCommand([], { SODA_BODY_LIMIT: "lots" })).toBe(2);
    expect(err.mock.calls[0][0]).toContain("SODA_BODY_LIMIT");
  });
});
