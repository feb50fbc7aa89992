// Every relative link of the README and docs/ reaches a file of the checkout, and every #anchor a
// heading of the page it names (GitHub's slugs), so moving or renaming a section cannot leave a
// reader at a dead end.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

const PAGES = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
}

/** The page's text outside fenced code blocks. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '');
}

function anchors(page: string): Set<string> {
  const text = prose(readFileSync(join(ROOT, page), 'utf8'));
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1])));
}

describe('links of the README and docs/', () => {
  it('slugs headings as GitHub does', () => {
    expect(slug('Internet Suspend/Resume (`kind: isr`)')).toBe('internet-suspendresume-kind-isr');
    expect(slug('Clusters: shards and merge')).toBe('clusters-shards-and-merge');
  });

  for (const page of PAGES) {
    it(`${page}: every relative link and anchor resolves`, () => {
      const links = [...prose(readFileSync(join(ROOT, page), 'utf8')).matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);
      const broken: string[] = [];
      for (const link of links.filter((l) => !/^[a-z]+:/.test(l))) {
        const [path, anchor] = link.split('#');
        const target = path === '' ? page : normalize(join(dirname(page), path));
        if (!existsSync(join(ROOT, target))) broken.push(`${link}: no file ${target}`);
        else if (anchor !== undefined && target.endsWith('.md') && !anchors(target).has(anchor)) broken.push(`${link}: no heading #${anchor} in ${target}`);
      }
      expect(broken).toEqual([]);
    });
  }
});
