#!/usr/bin/perl
# SPDX-License-Identifier: GPL-3.0-or-later
# perfcheck.pl: checks a plugin's perfdata with a real parser
# (Monitoring::Plugin::Performance, libmonitoring-plugin-perl) and with the
# project's stricter rules (docs: conventions "Performance data").
#
#   plugin ... | perfcheck.pl            one line per item:
#       label<TAB>value<TAB>uom<TAB>warn<TAB>crit<TAB>min<TAB>max
#   plugin ... | perfcheck.pl LABEL      just that label's value (exit 1 if absent)
#   options: --empty-ok   no perfdata is not an error (prints nothing)
#            --lax        only what Monitoring::Plugin::Performance accepts
#
# Reads the first line of stdin; perfdata is what follows its first '|'.
# Exit 1 with a message on stderr when: there is no perfdata (unless
# --empty-ok), the parser returns fewer items than there are tokens (a
# token it could not read), or, unless --lax, a token breaks the rules:
#   'label'=value[UOM];[warn];[crit];[min];[max]   at most 4 ';'
#   label: unquoted [A-Za-z0-9_.:@/-]+ ... or quoted '...' ('' inside)
#   value: -?digits[.digits] or U; no exponent, no comma, no junk
#   UOM: none, s, %, B, KB, MB, GB, TB, c  (never ms/us)
#   warn/crit: [@][~|num][:[num]] (not empty when present, not ':')
#   min/max: num;  labels unique.
use strict;
use warnings;
use Monitoring::Plugin::Performance;

my ($empty_ok, $lax, $want) = (0, 0, undef);
for my $a (@ARGV) {
    if    ($a eq '--empty-ok') { $empty_ok = 1 }
    elsif ($a eq '--lax')      { $lax = 1 }
    elsif ($a =~ /^-/)         { die "perfcheck.pl: unknown option $a\n" }
    else                       { $want = $a }
}

my $line = <STDIN>;
$line = '' unless defined $line;
chomp $line;
my $i = index($line, '|');
my $perf = $i >= 0 ? substr($line, $i + 1) : '';
$perf =~ s/^\s+|\s+$//g;

sub fail { print STDERR "perfcheck: $_[0]\n  perfdata: '$perf'\n"; exit 1 }

if ($perf eq '') {
    exit 0 if $empty_ok && !defined $want;
    fail($i >= 0 ? "empty perfdata after '|'" : "no perfdata (no '|' on the first line)");
}

# Tokens: space separated; a quoted label may hold spaces ('' is a quote).
my @tokens;
{
    my $rest = $perf;
    while ($rest ne '') {
        if ($rest =~ s/^('(?:[^']|'')*'=\S*)\s*// || $rest =~ s/^(\S+)\s*//) {
            push @tokens, $1;
        } else {
            fail("cannot split '$rest'");
        }
    }
}

my @items = Monitoring::Plugin::Performance->parse_perfstring($perf);
# the module reads no 'U' value: count those tokens separately
my $u_tokens = grep { /^(?:'(?:[^']|'')*'|[^'=]+)=U(?:[;\s]|$)/ } @tokens;
if (@items + $u_tokens != @tokens) {
    fail(sprintf("Monitoring::Plugin::Performance parsed %d of %d tokens (%s)",
                 scalar @items, scalar @tokens, join(' ', map { $_->label } @items)));
}

my $num   = qr/-?[0-9]+(?:\.[0-9]+)?/;
my $range = qr/\@?(?:~|$num)?(?::(?:$num)?)?/;
my (@out, %seen);
for my $t (@tokens) {
    # one token at a time, so a label maps to its own fields
    my ($label, $rest);
    if ($t =~ /^'((?:[^']|'')*)'=(.*)$/) { ($label, $rest) = ($1, $2); $label =~ s/''/'/g }
    elsif ($t =~ /^([^'=]+)=(.*)$/)      { ($label, $rest) = ($1, $2) }
    else                                 { fail("token '$t': no label=value") }
    my @f = split /;/, $rest, -1;
    my ($value, $uom) = ($f[0] // '') =~ /^(U|[-+]?[0-9.,]+(?:e[-+]?[0-9]+)?)(.*)$/i
        or fail("token '$t': no value");
    my ($w, $c, $min, $max) = map { $_ // '' } @f[1 .. 4];
    unless ($lax) {
        fail("token '$t': label '$label' needs quotes") if $t !~ /^'/ && $label !~ /^[A-Za-z0-9_.:@\/-]+$/;
        fail("token '$t': more than 5 fields") if @f > 5;
        fail("token '$t': value '$value' is not C-locale decimal or U") if $value !~ /^(?:U|$num)$/;
        fail("token '$t': UOM '$uom' (allowed: none s % B KB MB GB TB c)")
            if $uom !~ /^(?:|s|%|B|KB|MB|GB|TB|c)$/;
        for ([warn => $w], [crit => $c]) {
            my ($n, $r) = @$_;
            fail("token '$t': $n range '$r'") if $r ne '' && ($r !~ /^$range$/ || $r =~ /^\@?:?$/);
            fail("token '$t': $n range '$r' starts above its end")
                if $r =~ /^\@?($num):($num)$/ && $1 > $2;
        }
        for ([min => $min], [max => $max]) {
            fail("token '$t': $_->[0] '$_->[1]' is not a number") if $_->[1] ne '' && $_->[1] !~ /^$num$/;
        }
        fail("label '$label' appears twice") if $seen{$label}++;
    }
    # the module's own reading of this token must agree (it cannot read a
    # label with a doubled quote inside: those are checked by the rules only)
    if ($label =~ /'/) { push @out, [$label, $value, $uom, $w, $c, $min, $max]; next }
    my ($p) = Monitoring::Plugin::Performance->parse_perfstring($value eq 'U' ? do { (my $x = $t) =~ s/=U/=0/; $x } : $t);
    fail("token '$t': Monitoring::Plugin::Performance cannot parse it") unless $p;
    fail("token '$t': parser reads label '" . $p->label . "'") if $p->label ne $label;
    push @out, [$label, $value, $uom, $w, $c, $min, $max];
}

if (defined $want) {
    for (@out) { if ($_->[0] eq $want) { print "$_->[1]\n"; exit 0 } }
    print STDERR "perfcheck: no label '$want' in: ", join(' ', map { $_->[0] } @out), "\n";
    exit 1;
}
print join("\t", @$_), "\n" for @out;
exit 0;
