import { runStoreContract } from '../contract';
import { createMemoryStore } from './index';

runStoreContract('memory', async () => createMemoryStore());
