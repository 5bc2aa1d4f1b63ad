/** Stack names are stated with the other names the federation gives (config/naming.ts). */
export { StackNames } from '../config/naming';
