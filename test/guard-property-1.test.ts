/** Part 1 of the guard property (test/guard-property.ts), split so that jest's two workers share the runs. */
import { guardProperty } from './guard-property';

guardProperty(0, 2);
