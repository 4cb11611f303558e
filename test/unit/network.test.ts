import { describe, expect, it } from 'vitest';
import { networkMeasures, type Participation, projectLinks } from '../../src/domain/network.ts';

const part = (project: string, participant: number, org: string, ...areas: string[]): Participation => ({
  project,
  participant,
  org,
  areas,
});

const linkKeys = (ps: Participation[]) =>
  projectLinks(ps)
    .map((l) => `${l.project}:${l.a}-${l.b}[${l.orgs.join(',')}]`)
    .sort();

describe('project links (co-participation)', () => {
  it('links two places by a project with a participant in each, and a place to itself by two participants in it', () => {
    // P1: o1 and o2 in X, o3 in Y → X–X (o1,o2) and X–Y (all three).
    // P2: o4 alone in Z → nothing.
    // P3: o1 in X, o5 in Y → X–Y.
    const ps = [
      part('P1', 1, 'o1', 'X'),
      part('P1', 2, 'o2', 'X'),
      part('P1', 3, 'o3', 'Y'),
      part('P2', 4, 'o4', 'Z'),
      part('P3', 5, 'o1', 'X'),
      part('P3', 6, 'o5', 'Y'),
    ];
    expect(linkKeys(ps)).toEqual(['P1:X-X[o1,o2]', 'P1:X-Y[o1,o2,o3]', 'P3:X-Y[o1,o5]']);
  });

  it('does not let one participant in two places link them by itself', () => {
    expect(linkKeys([part('P', 1, 'o1', 'X', 'Y')])).toEqual([]);
    // A second participant in X: it links X–X (both are in X) and X–Y (o1 in Y, o2 in X).
    expect(linkKeys([part('P', 1, 'o1', 'X', 'Y'), part('P', 2, 'o2', 'X')])).toEqual([
      'P:X-X[o1,o2]',
      'P:X-Y[o1,o2]',
    ]);
  });

  it('ignores unplaced participants and counts a pair of places once per project', () => {
    const ps = [
      part('P', 1, 'o1', 'X'),
      part('P', 2, 'o2', 'Y'),
      part('P', 3, 'o3', 'Y'),
      part('P', 4, 'o4'), // unplaced
    ];
    const links = projectLinks(ps);
    expect(links.filter((l) => l.a === 'X' && l.b === 'Y')).toHaveLength(1);
    expect(linkKeys(ps)).toEqual(['P:X-Y[o1,o2,o3]', 'P:Y-Y[o2,o3]']);
  });
});

describe('network measures', () => {
  it('star K1,3: degree 3 at the centre, eigenvector 1 and 1/√3 at the leaves', () => {
    const m = networkMeasures(
      ['c', 'l1', 'l2', 'l3'],
      [
        { a: 'c', b: 'l1', weight: 1 },
        { a: 'c', b: 'l2', weight: 1 },
        { a: 'c', b: 'l3', weight: 1 },
      ],
    );
    expect(m.get('c')).toMatchObject({ degree: 3, strength: 3 });
    expect(m.get('c')?.eigenvector).toBeCloseTo(1, 9);
    for (const leaf of ['l1', 'l2', 'l3']) {
      expect(m.get(leaf)).toMatchObject({ degree: 1, strength: 1 });
      expect(m.get(leaf)?.eigenvector).toBeCloseTo(1 / Math.sqrt(3), 8);
    }
  });

  it('weighted path a–b (2), b–c (1): λ = √5, x = (2/√5, 1, 1/√5)', () => {
    // W = [[0,2,0],[2,0,1],[0,1,0]]: λ³ − 5λ = 0, and W x = λ x gives x_a = 2x_b/λ, x_c = x_b/λ.
    const m = networkMeasures(
      ['a', 'b', 'c'],
      [
        { a: 'a', b: 'b', weight: 2 },
        { a: 'b', b: 'c', weight: 1 },
      ],
    );
    expect(m.get('a')).toMatchObject({ degree: 1, strength: 2 });
    expect(m.get('b')).toMatchObject({ degree: 2, strength: 3 });
    expect(m.get('c')).toMatchObject({ degree: 1, strength: 1 });
    expect(m.get('a')?.eigenvector).toBeCloseTo(0.894427191, 8);
    expect(m.get('b')?.eigenvector).toBeCloseTo(1, 9);
    expect(m.get('c')?.eigenvector).toBeCloseTo(0.4472135955, 8);
  });

  it('ignores self-links; isolated nodes and smaller components score 0', () => {
    const m = networkMeasures(
      ['a', 'b', 'c', 'd', 'e', 'f'],
      [
        { a: 'a', b: 'b', weight: 5 },
        { a: 'b', b: 'c', weight: 5 },
        { a: 'a', b: 'c', weight: 5 },
        { a: 'a', b: 'a', weight: 100 },
        { a: 'd', b: 'e', weight: 1 },
      ],
    );
    // The triangle is the dominant component (λ = 10 > 1): equal centrality 1.
    for (const n of ['a', 'b', 'c']) expect(m.get(n)?.eigenvector).toBeCloseTo(1, 9);
    expect(m.get('a')).toMatchObject({ degree: 2, strength: 10 });
    expect(m.get('d')).toMatchObject({ degree: 1, strength: 1, eigenvector: 0 });
    expect(m.get('f')).toEqual({ degree: 0, strength: 0, eigenvector: 0 });
  });

  it('refuses an edge to an unknown node', () => {
    expect(() => networkMeasures(['a'], [{ a: 'a', b: 'z', weight: 1 }])).toThrow(/not in the list/);
  });
});
