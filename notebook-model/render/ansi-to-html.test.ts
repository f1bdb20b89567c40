// Terminal output to HTML: colours become spans, nothing the kernel prints becomes markup.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ansiToHtml, ansiToText, xtermColour } from './ansi-to-html';

test('plain text is escaped', () => {
  assert.equal(ansiToHtml('<script>alert("x")</script> & \'q\''), '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;');
});

test('text inside coloured runs is escaped too', () => {
  const html = ansiToHtml('\x1b[31m<img src=x onerror=alert(1)>\x1b[0m');
  assert.equal(html, '<span class="ansi-red-fg">&lt;img src=x onerror=alert(1)&gt;</span>');
});

test('an IPython traceback line keeps its colours and bold', () => {
  const line = '\x1b[0;31mZeroDivisionError\x1b[0m: division by zero\n\x1b[1;32m----> 1\x1b[0m 1/0';
  const html = ansiToHtml(line);
  assert.ok(html.includes('<span class="ansi-red-fg">ZeroDivisionError</span>: division by zero'));
  assert.ok(html.includes('<span class="ansi-green-fg ansi-bold">----&gt; 1</span> 1/0'));
  assert.ok(!html.includes('\x1b'));
});

test('256-colour and true-colour codes become inline rgb()', () => {
  assert.equal(ansiToHtml('\x1b[38;5;196mred\x1b[0m'), '<span style="color:rgb(255, 0, 0)">red</span>');
  assert.equal(ansiToHtml('\x1b[48;2;10;20;30mbg\x1b[0m'), '<span style="background-color:rgb(10, 20, 30)">bg</span>');
  assert.equal(xtermColour(232), 'rgb(8, 8, 8)');
  assert.equal(xtermColour(21), 'rgb(0, 0, 255)');
});

test('non-colour escape codes vanish and text survives', () => {
  assert.equal(ansiToHtml('a\x1b[Kb'), 'ab');
  assert.equal(ansiToText('\x1b[1mbold\x1b[0m <x>'), 'bold <x>');
});
