/**
 * ASCII folding with the semantics of Lucene's `ASCIIFoldingFilter` (the filter SoDA's Solr schemas used),
 * restricted to what a dictionary matcher needs:
 *
 * - Latin letters with diacritics fold to their base letter (`é` → `e`, `Ǻ` → `A`, `ệ` → `e`). These come
 *   from Unicode canonical decomposition (NFD) with the combining marks removed, accepted only when what is
 *   left is ASCII letters (so `≠` = `=` + U+0338 is NOT folded to `=`).
 * - Letters and symbols NFD does not decompose come from an explicit table ({@link EXPLICIT_FOLDINGS}),
 *   generated from Lucene 9.12's `ASCIIFoldingFilter.foldToASCII` for every BMP code unit: `ß` → `ss`,
 *   `æ` → `ae`, `ø` → `o`, `ł` → `l`, `đ` → `d`, `þ` → `th`, `œ` → `oe`, `ﬁ` → `fi`, typographic quotes and
 *   dashes (`’` → `'`, `“` → `"`, `—` → `-`), fullwidth forms (`Ａ` → `A`), super/subscripts (`²` → `2`),
 *   enclosed alphanumerics (`①` → `1`, `⒜` → `(a)`), small capitals, etc.
 * - Everything else (Greek, Cyrillic, CJK, Devanagari, symbols, supplementary-plane characters) is left
 *   unchanged, as in Lucene: Greek `β` stays `β`, and `ά` stays `ά` (its base letter is not ASCII).
 * - BMP combining marks (`\p{M}`) that follow an ASCII letter in the output are removed, so decomposed input
 *   (`e` + U+0301) folds like precomposed input (`é`). Marks after anything else are kept (Indic vowel
 *   signs must survive).
 *
 * Known differences from Lucene (all deliberate):
 * - Lucene maps `ǥ` (U+01E5) and `ǧ` (U+01E7) to uppercase `G` (a table bug); here they fold to `g`.
 * - Lucene leaves `K` (U+212A KELVIN SIGN) and `Å` (U+212B ANGSTROM SIGN) alone; NFD folds them to `K`, `A`.
 * - Lucene never removes combining marks; here marks after an ASCII letter are removed (see above).
 *
 * Like Lucene, folding works per UTF-16 code unit: it is context-free except for the combining-mark rule,
 * and the output can be longer than the input (`ß` → `ss`, `⑽` → `(10)`), so offsets into the original
 * text do not carry over one-to-one. Callers that need offsets should fold per code unit with
 * {@link foldCharCode} / {@link isCombiningMark} and keep their own offset map.
 */

/**
 * Foldings that NFD + mark removal does not produce, as `[ascii, sources]`: every UTF-16 code unit in
 * `sources` folds to `ascii`. Generated from Lucene 9.12 `ASCIIFoldingFilter.foldToASCII` over the BMP,
 * minus the entries NFD already gives, with the `ǥ`/`ǧ` fix. The trailing comments show the characters.
 */
export const EXPLICIT_FOLDINGS: ReadonlyArray<readonly [ascii: string, sources: string]> = [
  ["!", "\uff01"], // ！
  ["!!", "\u203c"], // ‼
  ["!?", "\u2049"], // ⁉
  ['"', "\u00ab\u00bb\u201c\u201d\u201e\u2033\u2036\u275d\u275e\u276e\u276f\uff02"], // « » “ ” „ ″ ‶ ❝ ❞ ❮ ❯ ＂
  ["#", "\uff03"], // ＃
  ["$", "\uff04"], // ＄
  ["%", "\u2052\uff05"], // ⁒ ％
  ["&", "\uff06"], // ＆
  ["'", "\u2018\u2019\u201a\u201b\u2032\u2035\u2039\u203a\u275b\u275c\uff07"], // ‘ ’ ‚ ‛ ′ ‵ ‹ › ❛ ❜ ＇
  ["(", "\u207d\u208d\u2768\u276a\uff08"], // ⁽ ₍ ❨ ❪ （
  ["((", "\u2e28"], // ⸨
  ["(1)", "\u2474"], // ⑴
  ["(10)", "\u247d"], // ⑽
  ["(11)", "\u247e"], // ⑾
  ["(12)", "\u247f"], // ⑿
  ["(13)", "\u2480"], // ⒀
  ["(14)", "\u2481"], // ⒁
  ["(15)", "\u2482"], // ⒂
  ["(16)", "\u2483"], // ⒃
  ["(17)", "\u2484"], // ⒄
  ["(18)", "\u2485"], // ⒅
  ["(19)", "\u2486"], // ⒆
  ["(2)", "\u2475"], // ⑵
  ["(20)", "\u2487"], // ⒇
  ["(3)", "\u2476"], // ⑶
  ["(4)", "\u2477"], // ⑷
  ["(5)", "\u2478"], // ⑸
  ["(6)", "\u2479"], // ⑹
  ["(7)", "\u247a"], // ⑺
  ["(8)", "\u247b"], // ⑻
  ["(9)", "\u247c"], // ⑼
  ["(a)", "\u249c"], // ⒜
  ["(b)", "\u249d"], // ⒝
  ["(c)", "\u249e"], // ⒞
  ["(d)", "\u249f"], // ⒟
  ["(e)", "\u24a0"], // ⒠
  ["(f)", "\u24a1"], // ⒡
  ["(g)", "\u24a2"], // ⒢
  ["(h)", "\u24a3"], // ⒣
  ["(i)", "\u24a4"], // ⒤
  ["(j)", "\u24a5"], // ⒥
  ["(k)", "\u24a6"], // ⒦
  ["(l)", "\u24a7"], // ⒧
  ["(m)", "\u24a8"], // ⒨
  ["(n)", "\u24a9"], // ⒩
  ["(o)", "\u24aa"], // ⒪
  ["(p)", "\u24ab"], // ⒫
  ["(q)", "\u24ac"], // ⒬
  ["(r)", "\u24ad"], // ⒭
  ["(s)", "\u24ae"], // ⒮
  ["(t)", "\u24af"], // ⒯
  ["(u)", "\u24b0"], // ⒰
  ["(v)", "\u24b1"], // ⒱
  ["(w)", "\u24b2"], // ⒲
  ["(x)", "\u24b3"], // ⒳
  ["(y)", "\u24b4"], // ⒴
  ["(z)", "\u24b5"], // ⒵
  [")", "\u207e\u208e\u2769\u276b\uff09"], // ⁾ ₎ ❩ ❫ ）
  ["))", "\u2e29"], // ⸩
  ["*", "\u204e\uff0a"], // ⁎ ＊
  ["+", "\u207a\u208a\uff0b"], // ⁺ ₊ ＋
  [",", "\uff0c"], // ，
  ["-", "\u2010\u2011\u2012\u2013\u2014\u207b\u208b\uff0d"], // ‐ ‑ ‒ – — ⁻ ₋ －
  [".", "\uff0e"], // ．
  ["/", "\u2044\uff0f"], // ⁄ ／
  ["0", "\u2070\u2080\u24ea\u24ff\uff10"], // ⁰ ₀ ⓪ ⓿ ０
  ["1", "\u00b9\u2081\u2460\u24f5\u2776\u2780\u278a\uff11"], // ¹ ₁ ① ⓵ ❶ ➀ ➊ １
  ["1.", "\u2488"], // ⒈
  ["10", "\u2469\u24fe\u277f\u2789\u2793"], // ⑩ ⓾ ❿ ➉ ➓
  ["10.", "\u2491"], // ⒑
  ["11", "\u246a\u24eb"], // ⑪ ⓫
  ["11.", "\u2492"], // ⒒
  ["12", "\u246b\u24ec"], // ⑫ ⓬
  ["12.", "\u2493"], // ⒓
  ["13", "\u246c\u24ed"], // ⑬ ⓭
  ["13.", "\u2494"], // ⒔
  ["14", "\u246d\u24ee"], // ⑭ ⓮
  ["14.", "\u2495"], // ⒕
  ["15", "\u246e\u24ef"], // ⑮ ⓯
  ["15.", "\u2496"], // ⒖
  ["16", "\u246f\u24f0"], // ⑯ ⓰
  ["16.", "\u2497"], // ⒗
  ["17", "\u2470\u24f1"], // ⑰ ⓱
  ["17.", "\u2498"], // ⒘
  ["18", "\u2471\u24f2"], // ⑱ ⓲
  ["18.", "\u2499"], // ⒙
  ["19", "\u2472\u24f3"], // ⑲ ⓳
  ["19.", "\u249a"], // ⒚
  ["2", "\u00b2\u2082\u2461\u24f6\u2777\u2781\u278b\uff12"], // ² ₂ ② ⓶ ❷ ➁ ➋ ２
  ["2.", "\u2489"], // ⒉
  ["20", "\u2473\u24f4"], // ⑳ ⓴
  ["20.", "\u249b"], // ⒛
  ["3", "\u00b3\u2083\u2462\u24f7\u2778\u2782\u278c\uff13"], // ³ ₃ ③ ⓷ ❸ ➂ ➌ ３
  ["3.", "\u248a"], // ⒊
  ["4", "\u2074\u2084\u2463\u24f8\u2779\u2783\u278d\uff14"], // ⁴ ₄ ④ ⓸ ❹ ➃ ➍ ４
  ["4.", "\u248b"], // ⒋
  ["5", "\u2075\u2085\u2464\u24f9\u277a\u2784\u278e\uff15"], // ⁵ ₅ ⑤ ⓹ ❺ ➄ ➎ ５
  ["5.", "\u248c"], // ⒌
  ["6", "\u2076\u2086\u2465\u24fa\u277b\u2785\u278f\uff16"], // ⁶ ₆ ⑥ ⓺ ❻ ➅ ➏ ６
  ["6.", "\u248d"], // ⒍
  ["7", "\u2077\u2087\u2466\u24fb\u277c\u2786\u2790\uff17"], // ⁷ ₇ ⑦ ⓻ ❼ ➆ ➐ ７
  ["7.", "\u248e"], // ⒎
  ["8", "\u2078\u2088\u2467\u24fc\u277d\u2787\u2791\uff18"], // ⁸ ₈ ⑧ ⓼ ❽ ➇ ➑ ８
  ["8.", "\u248f"], // ⒏
  ["9", "\u2079\u2089\u2468\u24fd\u277e\u2788\u2792\uff19"], // ⁹ ₉ ⑨ ⓽ ❾ ➈ ➒ ９
  ["9.", "\u2490"], // ⒐
  [":", "\uff1a"], // ：
  [";", "\u204f\uff1b"], // ⁏ ；
  ["<", "\u276c\u2770\uff1c"], // ❬ ❰ ＜
  ["=", "\u207c\u208c\uff1d"], // ⁼ ₌ ＝
  [">", "\u276d\u2771\uff1e"], // ❭ ❱ ＞
  ["?", "\uff1f"], // ？
  ["?!", "\u2048"], // ⁈
  ["??", "\u2047"], // ⁇
  ["@", "\uff20"], // ＠
  ["A", "\u018f\u023a\u1d00\u24b6\uff21"], // Ə Ⱥ ᴀ Ⓐ Ａ
  ["AA", "\ua732"], // Ꜳ
  ["AE", "\u00c6\u01e2\u01fc\u1d01"], // Æ Ǣ Ǽ ᴁ
  ["AO", "\ua734"], // Ꜵ
  ["AU", "\ua736"], // Ꜷ
  ["AV", "\ua738\ua73a"], // Ꜹ Ꜻ
  ["AY", "\ua73c"], // Ꜽ
  ["B", "\u0181\u0182\u0243\u0299\u1d03\u24b7\uff22"], // Ɓ Ƃ Ƀ ʙ ᴃ Ⓑ Ｂ
  ["C", "\u0187\u023b\u0297\u1d04\u24b8\uff23"], // Ƈ Ȼ ʗ ᴄ Ⓒ Ｃ
  ["D", "\u00d0\u0110\u0189\u018a\u018b\u1d05\u1d06\u24b9\ua779\uff24"], // Ð Đ Ɖ Ɗ Ƌ ᴅ ᴆ Ⓓ Ꝺ Ｄ
  ["DZ", "\u01c4\u01f1"], // Ǆ Ǳ
  ["Dz", "\u01c5\u01f2"], // ǅ ǲ
  ["E", "\u018e\u0190\u0246\u1d07\u24ba\u2c7b\uff25"], // Ǝ Ɛ Ɇ ᴇ Ⓔ ⱻ Ｅ
  ["F", "\u0191\u24bb\ua730\ua77b\ua7fb\uff26"], // Ƒ Ⓕ ꜰ Ꝼ ꟻ Ｆ
  ["G", "\u0193\u01e4\u0262\u029b\u24bc\ua77d\ua77e\uff27"], // Ɠ Ǥ ɢ ʛ Ⓖ Ᵹ Ꝿ Ｇ
  ["H", "\u0126\u029c\u24bd\u2c67\u2c75\uff28"], // Ħ ʜ Ⓗ Ⱨ Ⱶ Ｈ
  ["HV", "\u01f6"], // Ƕ
  ["I", "\u0196\u0197\u026a\u1d7b\u24be\ua7fe\uff29"], // Ɩ Ɨ ɪ ᵻ Ⓘ ꟾ Ｉ
  ["IJ", "\u0132"], // Ĳ
  ["J", "\u0248\u1d0a\u24bf\uff2a"], // Ɉ ᴊ Ⓙ Ｊ
  ["K", "\u0198\u1d0b\u24c0\u2c69\ua740\ua742\ua744\uff2b"], // Ƙ ᴋ Ⓚ Ⱪ Ꝁ Ꝃ Ꝅ Ｋ
  ["L", "\u013f\u0141\u023d\u029f\u1d0c\u24c1\u2c60\u2c62\ua746\ua748\ua780\uff2c"], // Ŀ Ł Ƚ ʟ ᴌ Ⓛ Ⱡ Ɫ Ꝇ Ꝉ Ꞁ Ｌ
  ["LJ", "\u01c7"], // Ǉ
  ["LL", "\u1efa"], // Ỻ
  ["Lj", "\u01c8"], // ǈ
  ["M", "\u019c\u1d0d\u24c2\u2c6e\ua7fd\ua7ff\uff2d"], // Ɯ ᴍ Ⓜ Ɱ ꟽ ꟿ Ｍ
  ["N", "\u014a\u019d\u0220\u0274\u1d0e\u24c3\uff2e"], // Ŋ Ɲ Ƞ ɴ ᴎ Ⓝ Ｎ
  ["NJ", "\u01ca"], // Ǌ
  ["Nj", "\u01cb"], // ǋ
  ["O", "\u00d8\u0186\u019f\u01fe\u1d0f\u1d10\u24c4\ua74a\ua74c\uff2f"], // Ø Ɔ Ɵ Ǿ ᴏ ᴐ Ⓞ Ꝋ Ꝍ Ｏ
  ["OE", "\u0152\u0276"], // Œ ɶ
  ["OO", "\ua74e"], // Ꝏ
  ["OU", "\u0222\u1d15"], // Ȣ ᴕ
  ["P", "\u01a4\u1d18\u24c5\u2c63\ua750\ua752\ua754\uff30"], // Ƥ ᴘ Ⓟ Ᵽ Ꝑ Ꝓ Ꝕ Ｐ
  ["Q", "\u024a\u24c6\ua756\ua758\uff31"], // Ɋ Ⓠ Ꝗ Ꝙ Ｑ
  ["R", "\u024c\u0280\u0281\u1d19\u1d1a\u24c7\u2c64\ua75a\ua782\uff32"], // Ɍ ʀ ʁ ᴙ ᴚ Ⓡ Ɽ Ꝛ Ꞃ Ｒ
  ["S", "\u24c8\ua731\ua785\uff33"], // Ⓢ ꜱ ꞅ Ｓ
  ["SS", "\u1e9e"], // ẞ
  ["T", "\u0166\u01ac\u01ae\u023e\u1d1b\u24c9\ua786\uff34"], // Ŧ Ƭ Ʈ Ⱦ ᴛ Ⓣ Ꞇ Ｔ
  ["TH", "\u00de\ua766"], // Þ Ꝧ
  ["TZ", "\ua728"], // Ꜩ
  ["U", "\u0244\u1d1c\u1d7e\u24ca\uff35"], // Ʉ ᴜ ᵾ Ⓤ Ｕ
  ["V", "\u01b2\u0245\u1d20\u1efc\u24cb\ua75e\ua768\uff36"], // Ʋ Ʌ ᴠ Ỽ Ⓥ Ꝟ Ꝩ Ｖ
  ["VY", "\ua760"], // Ꝡ
  ["W", "\u01f7\u1d21\u24cc\u2c72\uff37"], // Ƿ ᴡ Ⓦ Ⱳ Ｗ
  ["X", "\u24cd\uff38"], // Ⓧ Ｘ
  ["Y", "\u01b3\u024e\u028f\u1efe\u24ce\uff39"], // Ƴ Ɏ ʏ Ỿ Ⓨ Ｙ
  ["Z", "\u01b5\u021c\u0224\u1d22\u24cf\u2c6b\ua762\uff3a"], // Ƶ Ȝ Ȥ ᴢ Ⓩ Ⱬ Ꝣ Ｚ
  ["[", "\u2045\u2772\uff3b"], // ⁅ ❲ ［
  ["\\", "\uff3c"], // ＼
  ["]", "\u2046\u2773\uff3d"], // ⁆ ❳ ］
  ["^", "\u2038\uff3e"], // ‸ ＾
  ["_", "\uff3f"], // ＿
  ["a", "\u0250\u0259\u025a\u1d8f\u1d95\u1e9a\u2090\u2094\u24d0\u2c65\u2c6f\uff41"], // ɐ ə ɚ ᶏ ᶕ ẚ ₐ ₔ ⓐ ⱥ Ɐ ａ
  ["aa", "\ua733"], // ꜳ
  ["ae", "\u00e6\u01e3\u01fd\u1d02"], // æ ǣ ǽ ᴂ
  ["ao", "\ua735"], // ꜵ
  ["au", "\ua737"], // ꜷ
  ["av", "\ua739\ua73b"], // ꜹ ꜻ
  ["ay", "\ua73d"], // ꜽ
  ["b", "\u0180\u0183\u0253\u1d6c\u1d80\u24d1\uff42"], // ƀ ƃ ɓ ᵬ ᶀ ⓑ ｂ
  ["c", "\u0188\u023c\u0255\u2184\u24d2\ua73e\ua73f\uff43"], // ƈ ȼ ɕ ↄ ⓒ Ꜿ ꜿ ｃ
  ["d", "\u00f0\u0111\u018c\u0221\u0256\u0257\u1d6d\u1d81\u1d91\u24d3\ua77a\uff44"], // ð đ ƌ ȡ ɖ ɗ ᵭ ᶁ ᶑ ⓓ ꝺ ｄ
  ["db", "\u0238"], // ȸ
  ["dz", "\u01c6\u01f3\u02a3\u02a5"], // ǆ ǳ ʣ ʥ
  ["e", "\u01dd\u0247\u0258\u025b\u025c\u025d\u025e\u029a\u1d08\u1d92\u1d93\u1d94\u2091\u24d4\u2c78\uff45"], // ǝ ɇ ɘ ɛ ɜ ɝ ɞ ʚ ᴈ ᶒ ᶓ ᶔ ₑ ⓔ ⱸ ｅ
  ["f", "\u0192\u1d6e\u1d82\u1e9b\u24d5\ua77c\uff46"], // ƒ ᵮ ᶂ ẛ ⓕ ꝼ ｆ
  ["ff", "\ufb00"], // ﬀ
  ["ffi", "\ufb03"], // ﬃ
  ["ffl", "\ufb04"], // ﬄ
  ["fi", "\ufb01"], // ﬁ
  ["fl", "\ufb02"], // ﬂ
  ["g", "\u01e5\u0260\u0261\u1d77\u1d79\u1d83\u24d6\ua77f\uff47"], // ǥ ɠ ɡ ᵷ ᵹ ᶃ ⓖ ꝿ ｇ
  ["h", "\u0127\u0265\u0266\u02ae\u02af\u24d7\u2c68\u2c76\uff48"], // ħ ɥ ɦ ʮ ʯ ⓗ ⱨ ⱶ ｈ
  ["hv", "\u0195"], // ƕ
  ["i", "\u0131\u0268\u1d09\u1d62\u1d7c\u1d96\u2071\u24d8\uff49"], // ı ɨ ᴉ ᵢ ᵼ ᶖ ⁱ ⓘ ｉ
  ["ij", "\u0133"], // ĳ
  ["j", "\u0237\u0249\u025f\u0284\u029d\u24d9\u2c7c\uff4a"], // ȷ ɉ ɟ ʄ ʝ ⓙ ⱼ ｊ
  ["k", "\u0199\u029e\u1d84\u24da\u2c6a\ua741\ua743\ua745\uff4b"], // ƙ ʞ ᶄ ⓚ ⱪ ꝁ ꝃ ꝅ ｋ
  ["l", "\u0140\u0142\u019a\u0234\u026b\u026c\u026d\u1d85\u24db\u2c61\ua747\ua749\ua781\uff4c"], // ŀ ł ƚ ȴ ɫ ɬ ɭ ᶅ ⓛ ⱡ ꝇ ꝉ ꞁ ｌ
  ["lj", "\u01c9"], // ǉ
  ["ll", "\u1efb"], // ỻ
  ["ls", "\u02aa"], // ʪ
  ["lz", "\u02ab"], // ʫ
  ["m", "\u026f\u0270\u0271\u1d6f\u1d86\u24dc\uff4d"], // ɯ ɰ ɱ ᵯ ᶆ ⓜ ｍ
  ["n", "\u0149\u014b\u019e\u0235\u0272\u0273\u1d70\u1d87\u207f\u24dd\uff4e"], // ŉ ŋ ƞ ȵ ɲ ɳ ᵰ ᶇ ⁿ ⓝ ｎ
  ["nj", "\u01cc"], // ǌ
  ["o", "\u00f8\u01ff\u0254\u0275\u1d16\u1d17\u1d97\u2092\u24de\u2c7a\ua74b\ua74d\uff4f"], // ø ǿ ɔ ɵ ᴖ ᴗ ᶗ ₒ ⓞ ⱺ ꝋ ꝍ ｏ
  ["oe", "\u0153\u1d14"], // œ ᴔ
  ["oo", "\ua74f"], // ꝏ
  ["ou", "\u0223"], // ȣ
  ["p", "\u01a5\u1d71\u1d7d\u1d88\u24df\ua751\ua753\ua755\ua7fc\uff50"], // ƥ ᵱ ᵽ ᶈ ⓟ ꝑ ꝓ ꝕ ꟼ ｐ
  ["q", "\u0138\u024b\u02a0\u24e0\ua757\ua759\uff51"], // ĸ ɋ ʠ ⓠ ꝗ ꝙ ｑ
  ["qp", "\u0239"], // ȹ
  ["r", "\u024d\u027c\u027d\u027e\u027f\u1d63\u1d72\u1d73\u1d89\u24e1\ua75b\ua783\uff52"], // ɍ ɼ ɽ ɾ ɿ ᵣ ᵲ ᵳ ᶉ ⓡ ꝛ ꞃ ｒ
  ["s", "\u017f\u023f\u0282\u1d74\u1d8a\u1e9c\u1e9d\u24e2\ua784\uff53"], // ſ ȿ ʂ ᵴ ᶊ ẜ ẝ ⓢ Ꞅ ｓ
  ["ss", "\u00df"], // ß
  ["st", "\ufb06"], // ﬆ
  ["t", "\u0167\u01ab\u01ad\u0236\u0287\u0288\u1d75\u24e3\u2c66\uff54"], // ŧ ƫ ƭ ȶ ʇ ʈ ᵵ ⓣ ⱦ ｔ
  ["tc", "\u02a8"], // ʨ
  ["th", "\u00fe\u1d7a\ua767"], // þ ᵺ ꝧ
  ["ts", "\u02a6"], // ʦ
  ["tz", "\ua729"], // ꜩ
  ["u", "\u0289\u1d64\u1d99\u24e4\uff55"], // ʉ ᵤ ᶙ ⓤ ｕ
  ["ue", "\u1d6b"], // ᵫ
  ["v", "\u028b\u028c\u1d65\u1d8c\u24e5\u2c71\u2c74\ua75f\uff56"], // ʋ ʌ ᵥ ᶌ ⓥ ⱱ ⱴ ꝟ ｖ
  ["vy", "\ua761"], // ꝡ
  ["w", "\u01bf\u028d\u24e6\u2c73\uff57"], // ƿ ʍ ⓦ ⱳ ｗ
  ["x", "\u1d8d\u2093\u24e7\uff58"], // ᶍ ₓ ⓧ ｘ
  ["y", "\u01b4\u024f\u028e\u1eff\u24e8\uff59"], // ƴ ɏ ʎ ỿ ⓨ ｙ
  ["z", "\u01b6\u021d\u0225\u0240\u0290\u0291\u1d76\u1d8e\u24e9\u2c6c\ua763\uff5a"], // ƶ ȝ ȥ ɀ ʐ ʑ ᵶ ᶎ ⓩ ⱬ ꝣ ｚ
  ["{", "\u2774\uff5b"], // ❴ ｛
  ["}", "\u2775\uff5d"], // ❵ ｝
  ["~", "\u2053\uff5e"], // ⁓ ～
];

/**
 * BMP ranges in which NFD + mark removal yields ASCII letters (Latin-1 Supplement through Latin
 * Extended-B, Latin Extended Additional, and the Kelvin/Angstrom signs). A test checks the whole BMP to
 * make sure no decomposable Latin letter lies outside them.
 */
const NFD_RANGES: ReadonlyArray<readonly [from: number, to: number]> = [
  [0x00c0, 0x024f],
  [0x1e00, 0x1eff],
  [0x2100, 0x214f],
];

const ASCII_LETTERS = /^[A-Za-z]+$/;
/** Any UTF-16 code unit outside ASCII (no `u` flag: surrogates match too). */
const NON_ASCII = /[\u0080-\uffff]/;
const MARKS = /\p{M}/gu;
/** Sticky: tests the code unit at `lastIndex` without allocating. */
const MARK_AT = /\p{M}/uy;

/** Replacement strings; index 0 means "unchanged". */
const replacements: string[] = [""];
/** For each BMP code unit, an index into {@link replacements} (0 = unchanged). 128 KiB. */
const foldIndex = new Uint16Array(0x10000);

function setFolding(code: number, ascii: string): void {
  let idx = replacements.indexOf(ascii);
  if (idx < 0) {
    idx = replacements.length;
    replacements.push(ascii);
  }
  foldIndex[code] = idx;
}

// Built eagerly at module load: ~700 single-character normalize() calls plus ~750 table entries
// (about a millisecond, cold).
for (const [from, to] of NFD_RANGES) {
  for (let code = from; code <= to; code++) {
    const ch = String.fromCharCode(code);
    const decomposed = ch.normalize("NFD");
    if (decomposed === ch) continue;
    const base = decomposed.replace(MARKS, "");
    if (ASCII_LETTERS.test(base)) setFolding(code, base);
  }
}
for (const [ascii, sources] of EXPLICIT_FOLDINGS) {
  for (let i = 0; i < sources.length; i++) setFolding(sources.charCodeAt(i), ascii);
}

/**
 * Folds one UTF-16 code unit. Returns the ASCII replacement (1–4 characters), or `null` when the code unit
 * is unchanged (every ASCII code unit, every unmapped character, lone surrogates, combining marks).
 *
 * Context-free: it does not apply {@link foldToAscii}'s rule that drops combining marks after an ASCII
 * letter; use {@link isCombiningMark} for that. Cost: one comparison for ASCII, otherwise one typed-array
 * read and one array read; never allocates (replacement strings are shared).
 */
export function foldCharCode(code: number): string | null {
  if (code < 0x80) return null;
  const idx = foldIndex[code];
  return idx === undefined || idx === 0 ? null : replacements[idx];
}

/**
 * True when the UTF-16 code unit is a combining mark (`\p{M}`, BMP only). Cost: O(1); `false` without
 * further work below U+0300, otherwise one regular-expression test on a one-character string.
 */
export function isCombiningMark(code: number): boolean {
  if (code < 0x300 || code > 0xffff) return false;
  MARK_AT.lastIndex = 0;
  return MARK_AT.test(String.fromCharCode(code));
}

function isAsciiLetter(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a);
}

/**
 * Code units that may be BMP combining marks: from U+0300 up, excluding surrogates (a supplementary-plane
 * mark such as U+E0100 is deliberately left alone rather than half-removed).
 */
function isBmpMarkCandidate(code: number): boolean {
  return code >= 0x300 && (code < 0xd800 || code > 0xdfff);
}

/** Mark test on `s[i]` without allocating; the caller guarantees {@link isBmpMarkCandidate}. */
function isMarkAt(s: string, i: number): boolean {
  MARK_AT.lastIndex = i;
  return MARK_AT.test(s);
}

/**
 * Folds `s` to ASCII where an ASCII equivalent exists (see the module comment for the exact rules): per
 * code unit via {@link foldCharCode}, plus removal of combining marks that follow an ASCII letter.
 *
 * Invariants: ASCII-only input is returned as the same string (no allocation, one regular-expression
 * scan); input with nothing to fold is also returned as is; idempotent (`foldToAscii(foldToAscii(s)) ===
 * foldToAscii(s)`); case is preserved (`É` → `E`). Cost: O(length); allocates only when something changes.
 */
export function foldToAscii(s: string): string {
  let i = s.search(NON_ASCII);
  if (i < 0) return s;
  const n = s.length;

  // Find the first code unit that actually changes; until then the output equals the input.
  for (; i < n; i++) {
    const code = s.charCodeAt(i);
    if (code < 0x80) continue;
    if (foldCharCode(code) !== null) break;
    if (isBmpMarkCandidate(code) && i > 0 && isAsciiLetter(s.charCodeAt(i - 1)) && isMarkAt(s, i)) break;
  }
  if (i === n) return s;

  let out = "";
  let copyFrom = 0; // s[copyFrom, i) is unchanged input not yet appended to `out`
  let prev = i > 0 ? s.charCodeAt(i - 1) : -1; // last code unit of the output so far
  for (; i < n; i++) {
    const code = s.charCodeAt(i);
    if (code < 0x80) {
      prev = code;
      continue;
    }
    const folded = foldCharCode(code);
    if (folded !== null) {
      out += s.slice(copyFrom, i) + folded;
      copyFrom = i + 1;
      prev = folded.charCodeAt(folded.length - 1);
    } else if (isBmpMarkCandidate(code) && isAsciiLetter(prev) && isMarkAt(s, i)) {
      // Drop a combining mark attached to an ASCII letter; `prev` stays that letter so that a run of
      // marks is dropped as a whole.
      out += s.slice(copyFrom, i);
      copyFrom = i + 1;
    } else {
      prev = code;
    }
  }
  return out + s.slice(copyFrom);
}
