"""Median frequency of simulated voluntary holds vs the randomised target, for both engines.

Usage: python3 tests/tools/simulated_median_frequency.py <path to the crampsense executable> [work folder]
Simulates 3 min of voluntary-holds on the calf (seeds 1-8, --randomise true, no hum, motion, pops or wander)
with each engine and prints the drawn median (metadata subject.calf.median_hz) beside the median frequency of
the samples inside voluntary holds of >= 4 s (256-point Welch, Hann, 50 % overlap; pure Python, no numpy).
"""
import cmath, math, json, os, sys, subprocess
def fft(a):
    n=len(a)
    if n==1: return a
    e=fft(a[0::2]); o=fft(a[1::2])
    t=[cmath.exp(-2j*math.pi*k/n)*o[k] for k in range(n//2)]
    return [e[k]+t[k] for k in range(n//2)]+[e[k]-t[k] for k in range(n//2)]
def median_freq(x, fs, n=256):
    psd=[0.0]*(n//2+1)
    w=[0.5-0.5*math.cos(2*math.pi*i/n) for i in range(n)]
    for s in range(0, len(x)-n+1, n//2):
        seg=x[s:s+n]; m=sum(seg)/n
        F=fft([(seg[i]-m)*w[i] for i in range(n)])
        for f in range(n//2+1): psd[f]+=abs(F[f])**2
    tot=sum(psd[1:]); c=0
    for f in range(1,len(psd)):
        c+=psd[f]
        if c>=tot/2: return f*fs/n
cli=sys.argv[1]
work=sys.argv[2] if len(sys.argv)>2 else '.'
for engine in ['motor-unit','stochastic']:
    for seed in range(1,9):
        out=os.path.join(work, f'{engine}-{seed}.csv')
        subprocess.run([cli,'simulate','--scenario','voluntary-holds','--duration','3m','--seed',str(seed),'--sites','calf','--engine',engine,'--randomise','true','--hum-uv','0','--motion-per-hour','0','--pops-per-hour','0','--wander-uv','0','--out',out],check=True,capture_output=True)
        lines=open(out).read().splitlines()
        meta=dict(kv.split('=',1) for kv in lines[0][2:].split(' ')[2:] if '=' in kv)
        fs=float(lines[0].split('sample_rate_hz=')[1].split(' ')[0])
        truth=json.load(open(out[:-4]+'.truth.json'))['intervals']
        x=[]
        rows=[l.split(',') for l in lines[2:]]
        for iv in truth:
            if iv['kind']!='voluntary' or iv['end_s']-iv['start_s']<4: continue
            a=int((iv['start_s']+1)*fs); b=int((iv['end_s']-1)*fs)
            x+= [float(r[1]) for r in rows[a:b]]
            if len(x)>30000: break
        if len(x)<2000: continue
        print(engine, seed, 'target', meta['subject.calf.median_hz'], 'measured', round(median_freq(x[:30000],fs),1), 'fs', fs, flush=True)
