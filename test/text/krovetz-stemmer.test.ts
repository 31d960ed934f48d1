import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { krovetzStem, kstemDictionary } from "../../src/text/krovetz-stemmer.js";

/** Expected outputs produced by Lucene 9.12's own `KStemmer` (via `KStemFilter` semantics). */
const LUCENE_KSTEM: ReadonlyArray<readonly [string, string]> = [
  ["CELLS", "CELLS"],
  ["Running", "Running"],
  ["a", "a"],
  ["ab", "ab"],
  ["abc", "abc"],
  ["abcs", "abc"],
  ["ability", "ability"],
  ["activated", "activate"],
  ["activation", "activate"],
  ["activities", "activity"],
  ["adherance", "adhere"],
  ["aging", "age"],
  ["aided", "aid"],
  ["aides", "aide"],
  ["aids", "aids"],
  ["alleles", "allele"],
  ["allelic", "allelic"],
  ["americans", "america"],
  ["amplification", "amplify"],
  ["analyses", "analyse"],
  ["analysis", "analysis"],
  ["antibodies", "antibody"],
  ["antibody", "antibody"],
  ["apoptosis", "apoptosi"],
  ["apoptotic", "apoptotic"],
  ["arthritis", "arthritis"],
  ["as", "as"],
  ["asthmatic", "asthmatic"],
  ["backfilled", "backfill"],
  ["bacteria", "bacteria"],
  ["bacterial", "bacterial"],
  ["bibliographical", "bibliography"],
  ["binding", "binding"],
  ["bookselling", "booksell"],
  ["calories", "calorie"],
  ["cancerous", "cancerous"],
  ["cancers", "cancer"],
  ["canonic", "canonical"],
  ["capacity", "capacity"],
  ["carcinomas", "carcinoma"],
  ["cardiomyopathies", "cardiomyopathy"],
  ["cardiomyopathy", "cardiomyopathy"],
  ["catalyses", "catalyse"],
  ["cells", "cell"],
  ["children", "children"],
  ["chinese", "china"],
  ["chronic", "chronic"],
  ["cities", "city"],
  ["clinical", "clinical"],
  ["clinically", "clinical"],
  ["compensable", "compensate"],
  ["complication", "complication"],
  ["complications", "complication"],
  ["covid", "covid"],
  ["covid-19", "covid-19"],
  ["covidd", "covidd"],
  ["covided", "covide"],
  ["covider", "covider"],
  ["covids", "covid"],
  ["crosses", "cross"],
  ["dallas", "dallas"],
  ["darwinism", "darwin"],
  ["definition", "definition"],
  ["determinative", "determine"],
  ["diabetes", "diabetes"],
  ["diabetic", "diabetic"],
  ["diagnosed", "diagnose"],
  ["diagnoses", "diagnose"],
  ["died", "die"],
  ["disappearance", "disappearance"],
  ["disease", "disease"],
  ["diseases", "disease"],
  ["disorders", "disorder"],
  ["does", "do"],
  ["doing", "do"],
  ["don't", "don't"],
  ["elimination", "eliminate"],
  ["emergency", "emergency"],
  ["engineer", "engineer"],
  ["enzymatic", "enzymatic"],
  ["enzymes", "enzyme"],
  ["expressed", "express"],
  ["expresses", "express"],
  ["expression", "expression"],
  ["famous", "famous"],
  ["fibrosis", "fibrosi"],
  ["fingerspelling", "fingerspell"],
  ["fled", "flee"],
  ["flies", "flies"],
  ["footstamping", "footstamp"],
  ["gas", "gas"],
  ["genes", "gene"],
  ["genetic", "genetic"],
  ["genetically", "genetic"],
  ["genomic", "genomic"],
  ["glass", "glass"],
  ["glycosylated", "glycosylate"],
  ["goes", "go"],
  ["going", "go"],
  ["government", "government"],
  ["happier", "happy"],
  ["happiness", "happiness"],
  ["heuristically", "heuristic"],
  ["homologous", "homologous"],
  ["homologs", "homolog"],
  ["homologues", "homologue"],
  ["hospital", "hospital"],
  ["hospitalization", "hospitalize"],
  ["hospitalizations", "hospitalize"],
  ["hospitalize", "hospitalize"],
  ["hospitalized", "hospitalize"],
  ["hydroxylation", "hydroxylation"],
  ["immune", "immune"],
  ["immunity", "immune"],
  ["infected", "infect"],
  ["infections", "infection"],
  ["infectious", "infectious"],
  ["inflammation", "inflammation"],
  ["inflammatory", "inflammatory"],
  ["inhibited", "inhibited"],
  ["inhibition", "inhibition"],
  ["inhibitor", "inhibit"],
  ["inhibitors", "inhibit"],
  ["injunctive", "injunction"],
  ["is", "is"],
  ["italian", "italy"],
  ["italians", "italy"],
  ["kidneys", "kidney"],
  ["kinases", "kinase"],
  ["livers", "liver"],
  ["lying", "lie"],
  ["lymphomas", "lymphoma"],
  ["metastases", "metastase"],
  ["metastatic", "metastatic"],
  ["methylated", "methylate"],
  ["methylation", "methylation"],
  ["mice", "mice"],
  ["microcoded", "microcode"],
  ["militarily", "military"],
  ["mitochondrial", "mitochondrial"],
  ["mutated", "mutate"],
  ["mutations", "mutation"],
  ["nationality", "nationality"],
  ["naïve", "naïve"],
  ["neuronal", "neuronal"],
  ["neurons", "neuron"],
  ["news", "news"],
  ["obesity", "obese"],
  ["optimal", "optimum"],
  ["organizer", "organize"],
  ["pathways", "pathway"],
  ["patients", "patient"],
  ["phosphorylated", "phosphorylate"],
  ["phosphorylation", "phosphorylation"],
  ["polymorphic", "polymorphic"],
  ["polymorphisms", "polymorph"],
  ["ponies", "pony"],
  ["proteinases", "proteinase"],
  ["proteins", "protein"],
  ["ran", "ran"],
  ["receptors", "receptor"],
  ["regulated", "regulate"],
  ["regulation", "regulation"],
  ["regulatory", "regulatory"],
  ["resignation", "resignation"],
  ["run", "run"],
  ["running", "running"],
  ["runs", "runs"],
  ["sensitivity", "sensitivity"],
  ["sequenced", "sequence"],
  ["sequences", "sequence"],
  ["sequencing", "sequencing"],
  ["signaling", "signal"],
  ["signalling", "signal"],
  ["simply", "simply"],
  ["sing", "sing"],
  ["singing", "singing"],
  ["studies", "study"],
  ["syndromes", "syndrome"],
  ["teacher", "teacher"],
  ["texas", "texas"],
  ["therapeutic", "therapeutic"],
  ["therapies", "therapy"],
  ["thing", "thing"],
  ["things", "things"],
  ["ties", "tie"],
  ["transcription", "transcription"],
  ["transcriptional", "transcription"],
  ["treated", "treat"],
  ["treatments", "treatment"],
  ["tumors", "tumor"],
  ["tumours", "tumour"],
  ["ubiquitination", "ubiquitination"],
  ["used", "use"],
  ["vaccinated", "vaccinate"],
  ["vaccination", "vaccination"],
  ["vaccines", "vaccine"],
  ["variants", "variant"],
  ["viral", "viral"],
  ["viruses", "virus"],
  ["was", "was"],
  ["women", "women"],
  ["xs", "xs"],
];

describe("krovetzStem", () => {
  it("matches Lucene's KStemmer on English and biomedical words", () => {
    const mismatches = LUCENE_KSTEM.filter(([word, stem]) => krovetzStem(word) !== stem).map(
      ([word, stem]) => `${word}: expected ${stem}, got ${krovetzStem(word)}`,
    );
    expect(mismatches).toEqual([]);
  });

  it("handles the common biomedical plurals and inflections", () => {
    expect(krovetzStem("diseases")).toBe("disease");
    expect(krovetzStem("proteins")).toBe("protein");
    expect(krovetzStem("cells")).toBe("cell");
    expect(krovetzStem("studies")).toBe("study");
    expect(krovetzStem("antibodies")).toBe("antibody");
    expect(krovetzStem("treated")).toBe("treat");
    expect(krovetzStem("hospitalization")).toBe("hospitalize");
    expect(krovetzStem("hospitalizations")).toBe("hospitalize");
  });

  it("leaves dictionary head words alone (unlike Porter)", () => {
    for (const w of ["running", "runs", "inhibition", "expression", "ability", "simply", "bacteria"]) {
      expect(krovetzStem(w)).toBe(w);
    }
  });

  it("applies the direct conflation, nationality and exception tables", () => {
    expect(krovetzStem("aging")).toBe("age");
    expect(krovetzStem("fled")).toBe("flee");
    expect(krovetzStem("does")).toBe("do");
    expect(krovetzStem("italian")).toBe("italy");
    expect(krovetzStem("italians")).toBe("italy"); // plural step lands on a conflation entry
    expect(krovetzStem("aides")).toBe("aide"); // exception word
    expect(krovetzStem("aided")).toBe("aid");
    expect(krovetzStem("texas")).toBe("texas"); // proper noun
    expect(krovetzStem("aids")).toBe("aids"); // supplementary word
  });

  it("exercises each derivational rule", () => {
    expect(krovetzStem("immunity")).toBe("immune"); // -ity
    expect(krovetzStem("happier")).toBe("happy"); // -ier
    expect(krovetzStem("organizer")).toBe("organize"); // -izer
    expect(krovetzStem("militarily")).toBe("military"); // -ily
    expect(krovetzStem("heuristically")).toBe("heuristic"); // -ally, then -ical
    expect(krovetzStem("optimal")).toBe("optimum"); // -al -> -um
    expect(krovetzStem("bibliographical")).toBe("bibliography"); // -ical -> -y
    expect(krovetzStem("determinative")).toBe("determine"); // -ative -> -e
    expect(krovetzStem("injunctive")).toBe("injunction"); // -ive -> -ion
    expect(krovetzStem("compensable")).toBe("compensate"); // -able -> -ate
    expect(krovetzStem("canonic")).toBe("canonical"); // -ic -> -ical
    expect(krovetzStem("amplification")).toBe("amplify"); // -ication -> -y
    expect(krovetzStem("elimination")).toBe("eliminate"); // -ation -> -ate
    expect(krovetzStem("darwinism")).toBe("darwin"); // -ism
    expect(krovetzStem("adherance")).toBe("adhere"); // -ance -> -e
    expect(krovetzStem("obesity")).toBe("obese");
    expect(krovetzStem("backfilled")).toBe("backfill"); // doubled consonant kept
    expect(krovetzStem("microcoded")).toBe("microcode"); // default -e
    expect(krovetzStem("fingerspelling")).toBe("fingerspell");
    expect(krovetzStem("footstamping")).toBe("footstamp");
  });

  it("does not stem short, long or non a-z words", () => {
    expect(krovetzStem("")).toBe("");
    expect(krovetzStem("a")).toBe("a");
    expect(krovetzStem("xs")).toBe("xs");
    expect(krovetzStem("Running")).toBe("Running"); // input must be lowercased first
    expect(krovetzStem("CELLS")).toBe("CELLS");
    expect(krovetzStem("covid-19")).toBe("covid-19");
    expect(krovetzStem("don't")).toBe("don't");
    expect(krovetzStem("naïve")).toBe("naïve");
    expect(krovetzStem("蛋白质")).toBe("蛋白质");
    expect(krovetzStem("βλαστοκύτταρα")).toBe("βλαστοκύτταρα");
  });

  it("stems words of up to 49 characters and no longer (Lucene's MaxWordLen)", () => {
    const word = (n: number) => `ab${"c".repeat(n - 3)}s`;
    expect(krovetzStem(word(48))).toBe(word(48).slice(0, -1));
    expect(krovetzStem(word(49))).toBe(word(49).slice(0, -1));
    expect(krovetzStem(word(50))).toBe(word(50));
    expect(krovetzStem(word(51))).toBe(word(51));
  });

  it("returns the input string itself when nothing changes", () => {
    const w = ["prot", "ein"].join("");
    expect(krovetzStem(w)).toBe(w);
    expect(krovetzStem("running")).toBe("running");
  });

  it("is not idempotent, exactly like Lucene", () => {
    expect(krovetzStem("abashedly")).toBe("abashed");
    expect(krovetzStem("abashed")).toBe("abash");
  });

  it("ships Lucene's whole dictionary without duplicates", () => {
    // 41 exceptions + 40 direct conflations + 149 nationalities + 27,495 head words + 16 supplementary
    // words + 253 proper nouns: Lucene rejects duplicates, so the map must hold all of them.
    expect(kstemDictionary.size()).toBe(41 + 40 + 149 + 27_495 + 16 + 253);
    expect(kstemDictionary.has("protein")).toBe(true);
    expect(kstemDictionary.has("italian")).toBe(true);
    expect(kstemDictionary.has("proteins")).toBe(false);
  });

  it("leaves any word containing a character outside a-z unchanged, unless it is a dictionary entry", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 20 }), fc.string({ maxLength: 20 }), (a, b) => {
        const word = `${a}Z${b}`; // an uppercase letter is never a-z
        expect(krovetzStem(word)).toBe(word);
      }),
    );
  });

  it("always returns a lowercase a-z word for lowercase a-z input", () => {
    const letters = fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz".split(""));
    const suffixes = fc.constantFrom("", "s", "es", "ies", "ed", "ing", "ly", "ity", "ness", "ation", "er");
    fc.assert(
      fc.property(fc.array(letters, { minLength: 0, maxLength: 12 }), suffixes, (chars, suffix) => {
        const out = krovetzStem(chars.join("") + suffix);
        expect(out).toMatch(/^[a-z]*$/);
      }),
    );
  });
});
