import { describe, expect, it } from '@jest/globals';
import { applyEdits, isSafePath, type FileBefore } from '../../src/fix/apply.js';
import { renderUnifiedDiff } from '../../src/fix/diff.js';
import { insertBefore, rewriteEdit } from '../../src/fix/edits.js';
import type { FileEdit } from '../../src/fix/types.js';

const tree =
  (files: Record<string, string>) =>
  (path: string): FileBefore => ({ text: files[path] });

describe('applyEdits', () => {
  it('creates files and refuses to create one that exists', () => {
    const result = applyEdits(
      [
        { kind: 'create', path: 'SECURITY.md', text: '# Security\n' },
        { kind: 'create', path: 'README.md', text: '# other\n' },
      ],
      tree({ 'README.md': '# x\n' }),
    );
    expect(result.files).toEqual([
      { path: 'SECURITY.md', before: undefined, after: '# Security\n', changes: [expect.any(Object)] },
    ]);
    expect(result.refused).toEqual([
      { edit: expect.objectContaining({ path: 'README.md' }), reason: 'README.md already exists' },
    ]);
  });

  it('applies insertions and replacements against the original line numbers, in a fixed order', () => {
    const text = 'a\nb\nc\nd\n';
    const edits: FileEdit[] = [
      { kind: 'replace', path: 'f', startLine: 3, endLine: 3, lines: ['C'] },
      insertBefore('f', 2, ['first']),
      insertBefore('f', 2, ['second']),
      insertBefore('f', 5, ['end']),
    ];
    const result = applyEdits(edits, tree({ f: text }));
    expect(result.refused).toEqual([]);
    expect(result.files[0].after).toBe('a\nfirst\nsecond\nb\nC\nd\nend\n');
    // Edits at different places may come in any order; insertions at one line keep the order given.
    const shuffled = [edits[3], edits[1], edits[0], edits[2]];
    expect(applyEdits(shuffled, tree({ f: text })).files[0].after).toBe('a\nfirst\nsecond\nb\nC\nd\nend\n');
  });

  it('keeps CRLF line endings and a missing final newline', () => {
    const crlf = applyEdits([insertBefore('f', 2, ['x'])], tree({ f: 'a\r\nb\r\n' }));
    expect(crlf.files[0].after).toBe('a\r\nx\r\nb\r\n');
    const bare = applyEdits([insertBefore('f', 3, ['x'])], tree({ f: 'a\nb' }));
    expect(bare.files[0].after).toBe('a\nb\nx');
  });

  it('refuses overlapping replacements, insertions inside a replacement, edits of missing files and bad ranges', () => {
    const result = applyEdits(
      [
        { kind: 'replace', path: 'f', startLine: 1, endLine: 2, lines: ['x'] },
        { kind: 'replace', path: 'f', startLine: 2, endLine: 3, lines: ['y'] },
        insertBefore('f', 2, ['inside']),
        insertBefore('f', 1, ['before is fine']),
        { kind: 'replace', path: 'f', startLine: 9, endLine: 9, lines: [] },
        { kind: 'replace', path: 'missing', startLine: 1, endLine: 1, lines: [] },
        { kind: 'create', path: '../escape', text: 'x' },
      ],
      tree({ f: 'a\nb\nc\n' }),
    );
    expect(result.files.map((file) => file.after)).toEqual(['before is fine\nx\nc\n']);
    expect(result.refused.map((refused) => refused.reason)).toEqual([
      '"../escape" is not a repository path',
      'it overlaps another fix of f (lines 1–2)',
      'it overlaps another fix of f (lines 1–2)',
      'lines 9–9 are outside f (3 lines)',
      'missing does not exist',
    ]);
  });

  it('counts identical edits from two fixers once, and refuses files it must not edit', () => {
    const same: FileEdit = { kind: 'create', path: '.dockerignore', text: '.git\n' };
    expect(applyEdits([same, { ...same }], tree({})).files).toHaveLength(1);
    const refused = applyEdits([insertBefore('big', 1, ['x'])], () => ({
      text: undefined,
      refuse: 'is too large to edit safely',
    }));
    expect(refused.refused[0].reason).toBe('big is too large to edit safely');
  });

  it('accepts only relative paths inside the tree', () => {
    expect(['a/b.md', '.github/x.yml'].every(isSafePath)).toBe(true);
    expect(['/etc/passwd', 'a/../b', './a', '.git/config', 'a\\b', ''].some(isSafePath)).toBe(false);
  });
});

describe('rewriteEdit', () => {
  it('is the smallest line range between two texts', () => {
    expect(rewriteEdit('f', 'a\nb\nc\n', 'a\nB\nB2\nc\n')).toEqual({
      kind: 'replace',
      path: 'f',
      startLine: 2,
      endLine: 2,
      lines: ['B', 'B2'],
    });
    expect(rewriteEdit('f', 'a\n', 'a\n')).toBeUndefined();
    expect(rewriteEdit('f', 'a\nb\n', 'a\nb\nc\n')).toEqual(insertBefore('f', 3, ['c']));
  });
});

describe('renderUnifiedDiff', () => {
  it('shows new files and hunks with three lines of context, in the new file’s numbering', () => {
    const lines = Array.from({ length: 20 }, (_, index) => `l${index + 1}`);
    const result = applyEdits(
      [
        insertBefore('f', 2, ['new2']),
        { kind: 'replace', path: 'f', startLine: 15, endLine: 15, lines: ['L15'] },
        { kind: 'create', path: 'n.md', text: 'one\ntwo\n' },
      ],
      tree({ f: `${lines.join('\n')}\n` }),
    );
    expect(renderUnifiedDiff(result.files)).toBe(
      [
        'diff --git a/f b/f',
        '--- a/f',
        '+++ b/f',
        '@@ -1,4 +1,5 @@',
        ' l1',
        '+new2',
        ' l2',
        ' l3',
        ' l4',
        '@@ -12,7 +13,7 @@',
        ' l12',
        ' l13',
        ' l14',
        '-l15',
        '+L15',
        ' l16',
        ' l17',
        ' l18',
        'diff --git a/n.md b/n.md',
        'new file mode 100644',
        '--- /dev/null',
        '+++ b/n.md',
        '@@ -0,0 +1,2 @@',
        '+one',
        '+two',
        '',
      ].join('\n'),
    );
  });
});
