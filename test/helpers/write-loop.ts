// A child for the kill test: writes FILE atomically over and over, alternating two complete contents
// of SIZE bytes each ("a…a" and "b…b" inside a JSON string), and says "wrote" after each write.
import { writeFileAtomic } from '../../src/cli/atomic-write.ts';

const [file, size] = [process.argv[2]!, Number(process.argv[3])];
const content = (c: string) => JSON.stringify(c.repeat(size - 2));
const contents = [content('a'), content('b')];
for (let i = 0; ; i++) {
  writeFileAtomic(file, contents[i % 2]!);
  process.stdout.write('wrote\n');
}
