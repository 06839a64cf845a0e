import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LogAnalyzer } from '../../../src/diagnosis/analyzer.js';
import { MAX_STORED_LINES } from '../../../src/diagnosis/block.js';

describe('streaming analysis keeps bounded state', () => {
  it('holds a bounded number of candidates and lines however many failures a log has', () => {
    const analyzer = new LogAnalyzer();
    let n = 0;
    for (let i = 0; i < 100_000; i++) {
      analyzer.push(`--- FAIL: TestCase${i} (0.01s)`, ++n);
      analyzer.push(`    case_test.go:${i}: want ${i}, got ${i + 1}`, ++n);
      analyzer.push(`=== RUN   TestCase${i + 1}`, ++n);
    }
    // One huge block as well: an endless stack trace.
    analyzer.push('Exception in thread "main" java.lang.IllegalStateException: boom', ++n);
    for (let i = 0; i < 50_000; i++) analyzer.push(`\tat com.acme.Frame${i}.run(Frame.java:${i})`, ++n);
    const state = analyzer.finish();
    assert.ok(state.blocks.length <= 128, `kept ${state.blocks.length} candidate blocks`);
    assert.ok(state.blocks.every((b) => b.lines.length <= MAX_STORED_LINES));
    const storedChars = state.blocks.reduce((sum, b) => sum + b.lines.reduce((s, l) => s + l.text.length, 0), 0);
    assert.ok(storedChars < 2_000_000, `stored ${storedChars} characters`);
    assert.equal(state.lines, n);
    // The earliest failures are still among the candidates (the first failure is often the one to read).
    assert.ok(state.blocks.some((b) => b.start === 1));
  });
});
