echo b > in.txt; echo a >> in.txt; echo c >> in.txt; echo a >> in.txt
head -2 in.txt
head -n 1 in.txt in.txt
head nosuch
head -1 in.txt
head -n x in.txt
head -c 3 in.txt
echo
head -n -1 in.txt
tail -2 in.txt
tail -n 1 in.txt in.txt
tail nosuch
tail -n +2 in.txt
wc in.txt
wc -l in.txt
wc -l < in.txt
wc < in.txt
wc -c in.txt nosuch
wc -w in.txt in.txt
echo 'a b' | wc
echo -n x | wc -l
wc -z
sort in.txt
sort -r in.txt
sort -u in.txt
sort nosuch
uniq in.txt
sort in.txt | uniq -c
sort in.txt | uniq -u
sort in.txt | uniq -d
echo -e '10\n9\n100' | sort -n
echo -e '10\n9\n100' | sort
echo -e 'x 3\ny 1\nz 2' | sort -k2
echo -e 'b:2\na:1' | sort -t: -k2 -r
