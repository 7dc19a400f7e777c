declare module 'elkjs/lib/elk-api.js' {
  import ELK from 'elkjs/lib/elk-api';
  export default ELK;
}
