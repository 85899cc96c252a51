// d3cloud.mjs - the d3-cloud side of the word-cloud benchmark (see run.sh).
//
// usage: node d3cloud.mjs [--repeat R] [--ours DIR] WORDS.tsv...
//
// Each WORDS.tsv (text, size, count; written by bench-wordcloud -o) is
// laid out by d3-cloud on an 800x600 canvas, as its README does it: no
// rotation, padding 1, archimedean spiral, the font sizes of the file,
// Liberation Sans (Arial's metrics, like our width table), a seeded
// random so that runs repeat.  Time is the fastest and the median of R
// runs of start() to "end" (synchronous with timeInterval(Infinity)).
//
// Overlaps are checked the same way for d3-cloud and, with --ours, for our
// layout (DIR/ours-N.tsv): "box" counts pairs of words whose text boxes
// (advance width x ascent+descent, as a browser lays the text out)
// intersect; "ink" renders every word alone and counts the pixels inked
// by two words or more (alpha >= 128).  d3-cloud tests glyph sprites, so
// its boxes may nest (a small word under a long descender) without ink
// touching; ours are boxes and never intersect.
//
// Prints one line per layout: "impl=... n=... placed=... box_overlaps=...
// ink_overlap_px=... outside=... ms=...".
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createRequire } from 'node:module';
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';

const require = createRequire(import.meta.url);
const cloud = require('d3-cloud');

const W = 800, H = 600;
const FONT = 'Liberation Sans';
const ASCENT = 0.905, LINE = 1.117;	// as in common/cloudlayout.h

for (const f of ['/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
		 '/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf'])
	try { GlobalFonts.registerFromPath(f, FONT); break; } catch { /* next */ }

function readTsv(path) {
	const [head, ...lines] = readFileSync(path, 'utf8').split('\n').filter(Boolean);
	const cols = head.split('\t');
	return lines.map(l => {
		const v = l.split('\t'), o = {};
		cols.forEach((c, i) => { o[c] = c === 'text' ? v[i] : Number(v[i]); });
		return o;
	});
}

// mulberry32: a small seeded generator, so every run places the same way.
function seeded(seed) {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function runD3(words) {
	return new Promise(resolve => {
		const input = words.map(w => ({ text: w.text, size: w.size }));
		const t0 = performance.now();
		cloud()
			.size([W, H])
			.canvas(() => createCanvas(1, 1))
			.words(input)
			.padding(1)
			.rotate(0)
			.font(FONT)
			.fontSize(d => d.size)
			.spiral('archimedean')
			.random(seeded(1))
			.timeInterval(Infinity)
			.on('end', placed => resolve({ placed, ms: performance.now() - t0 }))
			.start();
	});
}

const measure = createCanvas(1, 1).getContext('2d');
function advance(text, size) {
	measure.font = `${size}px "${FONT}"`;
	return measure.measureText(text).width;
}

// Boxes {text, size, x, y, w, h} (top-left, as a browser lays them out)
// -> pairs that intersect, ink pixels shared, boxes or ink outside.
function check(boxes) {
	let box = 0, outside = 0, ink = 0;
	for (let i = 0; i < boxes.length; i++) {
		const a = boxes[i];
		if (a.x < 0 || a.y < 0 || a.x + a.w > W || a.y + a.h > H)
			outside++;
		for (let j = i + 1; j < boxes.length; j++) {
			const b = boxes[j];
			if (a.x < b.x + b.w && b.x < a.x + a.w &&
			    a.y < b.y + b.h && b.y < a.y + a.h)
				box++;
		}
	}
	const cov = new Uint8Array(W * H);
	for (const b of boxes) {
		const m = 4, cw = Math.ceil(b.w) + 2 * m, chh = Math.ceil(b.h) + 2 * m;
		const c = createCanvas(cw, chh), g = c.getContext('2d');
		g.font = `${b.size}px "${FONT}"`;
		g.fillStyle = 'black';
		g.textBaseline = 'alphabetic';
		const natural = g.measureText(b.text).width || 1;
		g.translate(m, m + ASCENT * b.size);
		g.scale(b.w / natural, 1);	// textLength + spacingAndGlyphs
		g.fillText(b.text, 0, 0);
		const px = g.getImageData(0, 0, cw, chh).data;
		const ox = Math.round(b.x) - m, oy = Math.round(b.y) - m;
		for (let y = 0; y < chh; y++)
			for (let x = 0; x < cw; x++) {
				if (px[(y * cw + x) * 4 + 3] < 128)
					continue;
				const gx = ox + x, gy = oy + y;
				if (gx < 0 || gy < 0 || gx >= W || gy >= H)
					continue;	// counted as outside above
				if (cov[gy * W + gx]++ === 1)
					ink++;
			}
	}
	return { box, ink, outside };
}

function median(v) {
	const s = [...v].sort((a, b) => a - b), n = s.length;
	return n % 2 ? s[n >> 1] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

const args = process.argv.slice(2);
let repeat = 5, oursDir = null;
const files = [];
for (let i = 0; i < args.length; i++) {
	if (args[i] === '--repeat') repeat = Number(args[++i]);
	else if (args[i] === '--ours') oursDir = args[++i];
	else files.push(args[i]);
}

for (const file of files) {
	const words = readTsv(file);
	const n = words.length;
	const times = [];
	let last;
	for (let r = 0; r < repeat; r++) {
		last = await runD3(words);
		times.push(last.ms);
	}
	const boxes = last.placed.map(d => {
		const w = advance(d.text, d.size);
		return { text: d.text, size: d.size, w, h: LINE * d.size,
			 x: W / 2 + d.x - w / 2, y: H / 2 + d.y - ASCENT * d.size };
	});
	const c = check(boxes);
	console.log(`impl=d3-cloud n=${n} placed=${last.placed.length} ` +
		`dropped=${n - last.placed.length} box_overlaps=${c.box} ` +
		`ink_overlap_px=${c.ink} outside=${c.outside} ` +
		`ms=${Math.min(...times).toFixed(3)} ms_median=${median(times).toFixed(3)}`);
	if (oursDir) {
		const ours = readTsv(join(oursDir, basename(file).replace('words-', 'ours-')));
		const o = check(ours);
		console.log(`impl=atelier n=${n} placed=${ours.length} ` +
			`box_overlaps=${o.box} ink_overlap_px=${o.ink} outside=${o.outside}`);
	}
}
