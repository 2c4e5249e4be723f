// Small SVG pictures for the products (upstream ships JPEGs we do not copy):
// a coloured card with the product's name. Text is XML-escaped.
import type { Product } from '../../grpc/types';

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function hue(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) % 360;
  return h;
}

export function productSvg(p: Pick<Product, 'id' | 'name'>): string {
  const h = hue(p.id);
  const words = p.name.split(/\s+/);
  const lines: string[] = [];
  for (const w of words) {
    const last = lines[lines.length - 1];
    if (last !== undefined && (last + ' ' + w).length <= 18)
      lines[lines.length - 1] = `${last} ${w}`;
    else lines.push(w);
  }
  const text = lines
    .slice(0, 4)
    .map((l, i) => `<text x="150" y="${120 + i * 26}" text-anchor="middle">${escapeXml(l)}</text>`)
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="300" viewBox="0 0 300 300">` +
    `<rect width="300" height="300" rx="16" fill="hsl(${h},55%,35%)"/>` +
    `<circle cx="150" cy="60" r="28" fill="hsl(${(h + 180) % 360},70%,75%)"/>` +
    `<g font-family="sans-serif" font-size="20" fill="#fff">${text}</g></svg>`
  );
}

/** The product whose picture file is `name` (e.g. NationalParkFoundationExplorascope.jpg). */
export function productForPicture(products: readonly Product[], name: string): Product | undefined {
  return products.find((p) => p.picture === name);
}
